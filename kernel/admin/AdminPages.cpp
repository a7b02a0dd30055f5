#include "kernel/admin/AdminPages.h"

#include "kernel/admin/AdminForms.h"
#include "kernel/domain/Associations.h"
#include "kernel/domain/Federation.h"

namespace ruche::admin {
namespace {

using themes::Data;

long long count(app::Services& services, const std::string& sql) {
  storage::Database::Session session(services.db);
  long long n = 0;
  *session << sql, soci::into(n);
  return n;
}

domain::Association associationOrNotFound(app::Services& services, const std::string& slug) {
  auto association = domain::Associations(services.db).bySlug(slug);
  if (!association) {
    throw http::notFound("No association named \"" + slug + "\".");
  }
  return *association;
}

domain::AssociationInput inputOf(const domain::Association& a) {
  return {a.slug, a.name, a.description, a.logoUrl, a.contactEmail, a.contactPhone, a.place, a.charter};
}

void dashboard(app::Services& services, http::Request& request, http::Response& response) {
  const auto& catalog = services.templates.catalog();
  Data data{Data::type::object};
  data.set("federation", domain::Federation(services.db).get().name);
  Data counts{Data::type::list};
  auto add = [&](const std::string& key, long long n) {
    Data item{Data::type::object};
    item.set("text", catalog.plural(request.locale, key, n));
    counts.push_back(item);
  };
  add("admin.count.associations", count(services, "SELECT COUNT(*) FROM associations"));
  add("admin.count.accounts", count(services, "SELECT COUNT(*) FROM accounts WHERE deleted_at IS NULL"));
  add("admin.count.missions", count(services, "SELECT COUNT(*) FROM missions WHERE status = 'published'"));
  add("admin.count.applications", count(services, "SELECT COUNT(*) FROM applications"));
  data.set("counts", counts);
  services.pages.page(request, response, "admin", data, "admin.title");
}

void federationForm(app::Services& services, http::Request& request, http::Response& response,
                    const domain::FederationInfo& info, const std::vector<http::FieldError>& errors) {
  Data data{Data::type::object};
  Data values{Data::type::object};
  values.set("name", info.name);
  values.set("description", info.description);
  data.set("values", values);
  data.set("errors", themes::PageRenderer::fieldErrors(services.pages.localised(request, errors)));
  markSaved(request, data);
  services.pages.page(request, response, "admin_federation", data, "admin.federation.title",
                      errors.empty() ? 200 : 422);
}

void associationList(app::Services& services, http::Request& request, http::Response& response) {
  Data data{Data::type::object};
  Data rows{Data::type::list};
  for (const auto& a : domain::Associations(services.db).list()) {
    Data row{Data::type::object};
    row.set("slug", a.slug);
    row.set("name", a.name);
    row.set("place", a.place);
    rows.push_back(row);
  }
  data.set("has_associations", rows.is_empty_list() ? Data::type::bool_false : Data::type::bool_true);
  data.set("associations", rows);
  data.set("created", request.queryValue("created") == "1" ? Data::type::bool_true : Data::type::bool_false);
  services.pages.page(request, response, "admin_associations", data, "admin.associations.title");
}

AssociationFormView newView() {
  return {"/admin/associations/new", "/admin/associations", "admin.new.title", true, ""};
}

AssociationFormView editView(const std::string& slug) {
  return {"/admin/associations/" + slug + "/edit", "/admin/associations", "admin.edit.title", true, ""};
}

MembersView membersView(const std::string& slug) {
  return {"/admin/associations/" + slug + "/members", "/admin/associations", "admin.members.title"};
}

}  // namespace

void registerAdminPages(http::Router& router, app::Services& services) {
  registerFederationAdminPages(router, services);
  registerAssociationAdminPages(router, services);
  registerTemplatePages(router, services);
  registerTaxonomyPages(router, services);
  registerEventPages(router, services);
  registerPluginPages(router, services);
  registerPeoplePages(router, services);
  registerMailPages(router, services);
  registerHealthPages(router, services);
  registerAssociationProfilePages(router, services);
  registerImpactPages(router, services);
}

void registerFederationAdminPages(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  router.get("/admin", guards.federationAdmin(),
             [&services](http::Request& request, http::Response& response) { dashboard(services, request, response); });

  router.get("/admin/federation", guards.federationAdmin(),
             [&services](http::Request& request, http::Response& response) {
               federationForm(services, request, response, domain::Federation(services.db).get(), {});
             });
  router.post("/admin/federation", guards.federationAdmin(),
              [&services](http::Request& request, http::Response& response) {
                domain::FederationInfo info{request.formValue("name"), request.formValue("description")};
                try {
                  domain::Federation(services.db).set(info);
                } catch (const http::HttpError& error) {
                  if (error.status() != 422) {
                    throw;
                  }
                  federationForm(services, request, response, info, error.fields());
                  return;
                }
                response.redirect("/admin/federation?saved=1");
              });

  router.get(
      "/admin/associations", guards.federationAdmin(),
      [&services](http::Request& request, http::Response& response) { associationList(services, request, response); });

  router.get("/admin/associations/new", guards.federationAdmin(),
             [&services](http::Request& request, http::Response& response) {
               associationForm(services, request, response, newView(), {}, {});
             });
  router.post("/admin/associations/new", guards.federationAdmin(),
              [&services](http::Request& request, http::Response& response) {
                domain::AssociationInput input = associationInputFrom(request);
                try {
                  domain::Associations(services.db).create(input);
                } catch (const http::HttpError& error) {
                  if (error.status() != 422) {
                    throw;
                  }
                  associationForm(services, request, response, newView(), input, error.fields());
                  return;
                }
                response.redirect("/admin/associations?created=1");
              });

  router.get("/admin/associations/{slug}/edit", guards.federationAdmin(),
             [&services](http::Request& request, http::Response& response) {
               auto association = associationOrNotFound(services, request.param("slug"));
               associationForm(services, request, response, editView(association.slug), inputOf(association), {});
             });
  router.post("/admin/associations/{slug}/edit", guards.federationAdmin(),
              [&services](http::Request& request, http::Response& response) {
                auto association = associationOrNotFound(services, request.param("slug"));
                domain::AssociationInput input = associationInputFrom(request);
                try {
                  domain::Associations(services.db).update(association.id, input);
                } catch (const http::HttpError& error) {
                  if (error.status() != 422) {
                    throw;
                  }
                  associationForm(services, request, response, editView(association.slug), input, error.fields());
                  return;
                }
                auto saved = domain::Associations(services.db).byId(association.id);
                response.redirect("/admin/associations/" + (saved ? saved->slug : association.slug) + "/edit?saved=1");
              });

  router.get("/admin/associations/{slug}/members", guards.federationAdmin(),
             [&services](http::Request& request, http::Response& response) {
               auto association = associationOrNotFound(services, request.param("slug"));
               membersPage(services, request, response, association, membersView(association.slug));
             });
  router.post("/admin/associations/{slug}/members", guards.federationAdmin(),
              [&services](http::Request& request, http::Response& response) {
                auto association = associationOrNotFound(services, request.param("slug"));
                try {
                  grantFromForm(services, request, association.id);
                } catch (const http::HttpError& error) {
                  if (error.status() != 422) {
                    throw;
                  }
                  membersPage(services, request, response, association, membersView(association.slug), error.fields());
                  return;
                }
                response.redirect(membersView(association.slug).base + "?saved=1");
              });
  router.post("/admin/associations/{slug}/members/{accountId}/remove", guards.federationAdmin(),
              [&services](http::Request& request, http::Response& response) {
                auto association = associationOrNotFound(services, request.param("slug"));
                domain::Associations(services.db).revokeRole(association.id, accountIdParam(request));
                response.redirect(membersView(association.slug).base + "?removed=1");
              });
}

}  // namespace ruche::admin
