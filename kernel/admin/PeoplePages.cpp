#include <string>
#include <vector>

#include "kernel/admin/AdminForms.h"
#include "kernel/admin/AdminPages.h"
#include "kernel/domain/Associations.h"
#include "kernel/http/Validator.h"

// /admin/people: find an account, make it a federation admin or not, and
// give or take its roles in any association.
namespace ruche::admin {
namespace {

using themes::Data;

constexpr int kMaxResults = 50;

Data flag(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

/// One account as the people pages show it.
struct Person {
  long long id = 0;
  std::string name;
  std::string email;
  bool federationAdmin = false;
};

std::vector<Person> search(app::Services& services, const std::string& query) {
  std::string lowered;
  for (char c : query) {
    lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  // LIKE's own wildcards in the query are matched literally.
  std::string pattern = "%";
  for (char c : lowered) {
    if (c == '%' || c == '_' || c == '\\') {
      pattern += '\\';
    }
    pattern += c;
  }
  pattern += "%";
  storage::Database::Session session(services.db);
  std::vector<Person> people;
  Person row;
  int admin = 0;
  soci::statement st =
      (session->prepare << "SELECT id, display_name, COALESCE(email, ''), federation_admin FROM accounts "
                           "WHERE deleted_at IS NULL AND (LOWER(email) LIKE :p1 ESCAPE '\\' "
                           "OR LOWER(display_name) LIKE :p2 ESCAPE '\\') ORDER BY display_name, id LIMIT " +
                               std::to_string(kMaxResults),
       soci::use(pattern), soci::use(pattern), soci::into(row.id), soci::into(row.name), soci::into(row.email),
       soci::into(admin));
  st.execute();
  while (st.fetch()) {
    row.federationAdmin = admin != 0;
    people.push_back(row);
  }
  return people;
}

Person personOrNotFound(app::Services& services, long long id) {
  storage::Database::Session session(services.db);
  Person person;
  int admin = 0;
  *session << "SELECT id, display_name, COALESCE(email, ''), federation_admin FROM accounts "
              "WHERE id = :id AND deleted_at IS NULL",
      soci::use(id), soci::into(person.id), soci::into(person.name), soci::into(person.email), soci::into(admin);
  if (!session->got_data()) {
    throw http::notFound("No such account.");
  }
  person.federationAdmin = admin != 0;
  return person;
}

void listPage(app::Services& services, http::Request& request, http::Response& response) {
  std::string query = request.queryValue("q");
  http::Validator v;
  query = v.optionalText("q", query, 100);
  Data data{Data::type::object};
  std::vector<http::FieldError> errors = v.errors();
  Data rows{Data::type::list};
  std::vector<Person> people;
  if (errors.empty() && !query.empty()) {
    people = search(services, query);
    for (const auto& person : people) {
      Data row{Data::type::object};
      row.set("id", std::to_string(person.id));
      row.set("name", person.name);
      row.set("email", person.email);
      row.set("federation_admin", flag(person.federationAdmin));
      rows.push_back(row);
    }
  }
  data.set("q", query);
  data.set("searched", flag(errors.empty() && !query.empty()));
  data.set("has_results", flag(!rows.is_empty_list()));
  data.set("results", rows);
  data.set("count", services.templates.catalog().plural(request.locale, "admin_people.results",
                                                        static_cast<long long>(people.size())));
  data.set("errors", themes::PageRenderer::fieldErrors(services.pages.localised(request, errors)));
  services.pages.page(request, response, "admin_people", data, "admin_people.title", errors.empty() ? 200 : 422);
}

void personPage(app::Services& services, http::Request& request, http::Response& response, const Person& person,
                const std::vector<http::FieldError>& errors = {}) {
  Data data{Data::type::object};
  data.set("id", std::to_string(person.id));
  data.set("name", person.name);
  data.set("email", person.email);
  data.set("federation_admin", flag(person.federationAdmin));
  data.set("is_self", flag(person.id == request.visitor.accountId));
  Data roles{Data::type::list};
  {
    storage::Database::Session session(services.db);
    std::string slug;
    std::string name;
    std::string role;
    soci::statement st = (session->prepare << "SELECT a.slug, a.name, m.role FROM memberships m "
                                              "JOIN associations a ON a.id = m.association_id "
                                              "WHERE m.account_id = :id ORDER BY a.name",
                          soci::use(person.id), soci::into(slug), soci::into(name), soci::into(role));
    st.execute();
    while (st.fetch()) {
      Data row{Data::type::object};
      row.set("slug", slug);
      row.set("association", name);
      row.set("role", services.pages.text(request, "admin.role." + role));
      roles.push_back(row);
    }
  }
  data.set("has_roles", flag(!roles.is_empty_list()));
  data.set("roles", roles);
  std::string chosenAssociation = errors.empty() ? "" : request.formValue("association");
  std::string chosenRole = errors.empty() ? "volunteer" : request.formValue("role");
  Data associations{Data::type::list};
  for (const auto& a : domain::Associations(services.db).list()) {
    Data option{Data::type::object};
    option.set("value", a.slug);
    option.set("label", a.name);
    option.set("selected", flag(a.slug == chosenAssociation));
    associations.push_back(option);
  }
  data.set("associations", associations);
  data.set("has_associations", flag(!associations.is_empty_list()));
  data.set("role_options", roleOptions(services, request, chosenRole));
  data.set("errors", themes::PageRenderer::fieldErrors(services.pages.localised(request, errors)));
  markSaved(request, data);
  data.set("removed", flag(request.queryValue("removed") == "1"));
  data.set("title", services.pages.text(request, "admin_people.person_title") + " " + person.name);
  services.pages.page(request, response, "admin_person", data, "admin_people.person_title", errors.empty() ? 200 : 422);
}

std::string personUrl(long long id) {
  return "/admin/people/" + std::to_string(id);
}

}  // namespace

void registerPeoplePages(http::Router& router, app::Services& services) {
  auto guard = services.guards.federationAdmin();
  router.get("/admin/people", guard,
             [&services](http::Request& request, http::Response& response) { listPage(services, request, response); });
  router.get("/admin/people/{accountId}", guard, [&services](http::Request& request, http::Response& response) {
    personPage(services, request, response, personOrNotFound(services, accountIdParam(request)));
  });
  router.post("/admin/people/{accountId}/federation-admin", guard,
              [&services](http::Request& request, http::Response& response) {
                Person person = personOrNotFound(services, accountIdParam(request));
                http::Validator v;
                std::string value = v.oneOf("federation_admin", request.formValue("federation_admin"), {"0", "1"});
                v.check();
                if (value == "0" && person.id == request.visitor.accountId) {
                  // The last way back into this panel must not be closed by mistake.
                  throw http::HttpError(409, "Conflict", "You cannot take away your own federation admin role.");
                }
                int admin = value == "1" ? 1 : 0;
                services.db.transaction([&](soci::session& sql) {
                  sql << "UPDATE accounts SET federation_admin = :f WHERE id = :id", soci::use(admin),
                      soci::use(person.id);
                });
                response.redirect(personUrl(person.id) + "?saved=1");
              });
  router.post("/admin/people/{accountId}/roles", guard, [&services](http::Request& request, http::Response& response) {
    Person person = personOrNotFound(services, accountIdParam(request));
    std::vector<std::string> slugs;
    for (const auto& a : domain::Associations(services.db).list()) {
      slugs.push_back(a.slug);
    }
    try {
      http::Validator v;
      std::string slug = v.oneOf("association", request.formValue("association"), slugs);
      std::string role = v.oneOf("role", request.formValue("role"), associationRoles());
      v.check();
      auto association = domain::Associations(services.db).bySlug(slug);
      domain::Associations(services.db).grantRole(association->id, person.id, role);
    } catch (const http::HttpError& error) {
      if (error.status() != 422) {
        throw;
      }
      personPage(services, request, response, person, error.fields());
      return;
    }
    response.redirect(personUrl(person.id) + "?saved=1");
  });
  router.post("/admin/people/{accountId}/roles/{slug}/remove", guard,
              [&services](http::Request& request, http::Response& response) {
                Person person = personOrNotFound(services, accountIdParam(request));
                auto association = domain::Associations(services.db).bySlug(request.param("slug"));
                if (!association) {
                  throw http::notFound("No such association.");
                }
                domain::Associations(services.db).revokeRole(association->id, person.id);
                response.redirect(personUrl(person.id) + "?removed=1");
              });
}

}  // namespace ruche::admin
