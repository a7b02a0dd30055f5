#include "kernel/admin/AdminForms.h"
#include "kernel/admin/AdminPages.h"
#include "kernel/domain/Taxonomy.h"

// The federation's skills and causes lists (/admin/skills, /admin/causes):
// one page each, with the entries, a rename form per entry and an add form.
// Slugs never change once created: search URLs and the API use them.
namespace ruche::admin {
namespace {

using themes::Data;

/// What differs between the skills page and the causes page.
struct TermList {
  std::string base;  ///< /admin/skills or /admin/causes
  std::string area;  ///< skills or causes: catalogue keys taxonomy.<area>.…
  std::vector<domain::TermEntry> (*entries)(soci::session&);
  long long (*add)(storage::Database&, const domain::TermInput&);
  bool (*rename)(storage::Database&, long long, const domain::TermInput&);
};

const TermList kSkills{"/admin/skills", "skills", domain::skillEntries, domain::addSkill, domain::renameSkill};
const TermList kCauses{"/admin/causes", "causes", domain::causeEntries, domain::addCause, domain::renameCause};

Data boolean(bool value) { return value ? Data::type::bool_true : Data::type::bool_false; }

domain::TermInput inputFrom(const http::Request& request) {
  return {request.formValue("slug"), request.formValue("name_fr"), request.formValue("name_en")};
}

long long termIdParam(const http::Request& request) {
  std::string raw = request.param("id");
  if (raw.empty() || raw.size() > 18 || raw.find_first_not_of("0123456789") != std::string::npos) {
    throw http::notFound("No such entry.");
  }
  return std::stoll(raw);
}

/// What failed, if anything: the add form, or the rename form of one entry.
struct Failure {
  long long renamedId = 0;  ///< 0: the add form failed (or nothing did)
  domain::TermInput input;
  std::vector<http::FieldError> errors;
};

bool exists(app::Services& services, const TermList& list, long long id) {
  storage::Database::Session session(services.db);
  for (const auto& entry : list.entries(*session)) {
    if (entry.id == id) {
      return true;
    }
  }
  return false;
}

void listPage(app::Services& services, http::Request& request, http::Response& response, const TermList& list,
              const Failure& failure = {}) {
  std::vector<domain::TermEntry> entries;
  {
    storage::Database::Session session(services.db);
    entries = list.entries(*session);
  }
  auto errors = services.pages.localised(request, failure.errors, "templates.validation.");
  std::string prefix = "taxonomy." + list.area + ".";
  Data data{Data::type::object};
  data.set("base", list.base);
  data.set("caption", services.pages.text(request, prefix + "caption"));
  data.set("add_title", services.pages.text(request, prefix + "add_title"));
  data.set("add_button", services.pages.text(request, prefix + "add_button"));
  data.set("none", services.pages.text(request, prefix + "none"));

  Data rows{Data::type::list};
  for (const auto& entry : entries) {
    bool failed = failure.renamedId == entry.id;
    std::string id = std::to_string(entry.id);
    Data row{Data::type::object};
    row.set("id", id);
    row.set("slug", entry.slug);
    row.set("name_fr", entry.nameFr);
    row.set("name_en", entry.nameEn);
    row.set("value_fr", failed ? failure.input.nameFr : entry.nameFr);
    row.set("value_en", failed ? failure.input.nameEn : entry.nameEn);
    if (failed) {
      for (const auto& error : errors) {
        row.set("error_" + error.field, error.message);
      }
    }
    rows.push_back(row);
  }
  data.set("entries", rows);
  data.set("has_entries", boolean(!rows.is_empty_list()));

  // A rename form's fields carry the entry's id, so the summary links there.
  std::vector<http::FieldError> summary = errors;
  if (failure.renamedId != 0) {
    for (auto& error : summary) {
      error.field += "-" + std::to_string(failure.renamedId);
    }
  }
  data.set("errors", themes::PageRenderer::fieldErrors(summary));
  bool addFailed = failure.renamedId == 0 && !errors.empty();
  Data values{Data::type::object};
  values.set("slug", addFailed ? failure.input.slug : std::string());
  values.set("name_fr", addFailed ? failure.input.nameFr : std::string());
  values.set("name_en", addFailed ? failure.input.nameEn : std::string());
  data.set("values", values);

  std::string done = request.queryValue("done");
  if (done == "added" || done == "renamed") {
    data.set("done", services.pages.text(request, "taxonomy.done." + done));
  }
  services.pages.page(request, response, "admin_taxonomy", data, prefix + "title", errors.empty() ? 200 : 422);
}

void registerList(http::Router& router, app::Services& services, const TermList& list) {
  const auto& guards = services.guards;
  router.get(list.base, guards.federationAdmin(), [&services, &list](http::Request& request, http::Response& response) {
    listPage(services, request, response, list);
  });
  router.post(list.base, guards.federationAdmin(),
              [&services, &list](http::Request& request, http::Response& response) {
                domain::TermInput input = inputFrom(request);
                try {
                  list.add(services.db, input);
                } catch (const http::HttpError& error) {
                  if (error.status() != 422) {
                    throw;
                  }
                  listPage(services, request, response, list, {0, input, error.fields()});
                  return;
                }
                response.redirect(list.base + "?done=added");
              });
  router.post(list.base + "/{id}", guards.federationAdmin(),
              [&services, &list](http::Request& request, http::Response& response) {
                long long id = termIdParam(request);
                if (!exists(services, list, id)) {
                  throw http::notFound("No entry " + std::to_string(id) + " in this list.");
                }
                domain::TermInput input = inputFrom(request);
                bool found = false;
                try {
                  found = list.rename(services.db, id, input);
                } catch (const http::HttpError& error) {
                  if (error.status() != 422) {
                    throw;
                  }
                  listPage(services, request, response, list, {id, input, error.fields()});
                  return;
                }
                if (!found) {
                  throw http::notFound("No entry " + std::to_string(id) + " in this list.");
                }
                response.redirect(list.base + "?done=renamed");
              });
}

}  // namespace

void registerTaxonomyPages(http::Router& router, app::Services& services) {
  registerList(router, services, kSkills);
  registerList(router, services, kCauses);
}

}  // namespace ruche::admin
