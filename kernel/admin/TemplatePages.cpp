#include "kernel/admin/AdminForms.h"
#include "kernel/admin/AdminPages.h"
#include "kernel/domain/MissionTemplates.h"

// The federation admin's mission templates: list, create, edit, delete
// (/admin/templates…). Coordinators start new missions from these.
namespace ruche::admin {
namespace {

using themes::Data;

const std::vector<std::string> kKinds = {"micro", "regular", "event"};
const std::vector<std::string> kModes = {"remote", "onsite", "hybrid"};

Data boolean(bool value) { return value ? Data::type::bool_true : Data::type::bool_false; }

/// The template id of the path; 404 when it is not a number or names no template.
domain::MissionTemplate templateOrNotFound(app::Services& services, const http::Request& request) {
  std::string raw = request.param("id");
  if (raw.empty() || raw.size() > 18 || raw.find_first_not_of("0123456789") != std::string::npos) {
    throw http::notFound("No such mission template.");
  }
  auto found = domain::MissionTemplates(services.db).byId(std::stoll(raw));
  if (!found) {
    throw http::notFound("No mission template " + raw + ".");
  }
  return *found;
}

domain::MissionTemplateInput inputFrom(const http::Request& request) {
  return {request.formValue("title"), request.formValue("description"), request.formValue("kind"),
          request.formValue("mode"), request.formValue("duration_minutes")};
}

domain::MissionTemplateInput inputOf(const domain::MissionTemplate& t) {
  return {t.title, t.description, t.kind, t.mode, t.durationMinutes == 0 ? "" : std::to_string(t.durationMinutes)};
}

/// Radio buttons for kind or mode, labelled with the missions catalogue.
Data radios(app::Services& services, const http::Request& request, const std::string& area,
            const std::vector<std::string>& values, const std::string& selected) {
  Data list{Data::type::list};
  for (const auto& value : values) {
    Data item{Data::type::object};
    item.set("value", value);
    item.set("id", area + "-" + value);
    item.set("label", services.pages.text(request, "missions." + area + "." + value));
    item.set("checked", boolean(value == selected));
    list.push_back(item);
  }
  return list;
}

/// The new/edit form; `id` 0 means a new template.
void templateForm(app::Services& services, http::Request& request, http::Response& response, long long id,
                  const domain::MissionTemplateInput& input, const std::vector<http::FieldError>& errors) {
  Data data{Data::type::object};
  Data values{Data::type::object};
  values.set("title", input.title);
  values.set("description", input.description);
  values.set("duration_minutes", input.durationMinutes);
  data.set("values", values);
  data.set("kinds", radios(services, request, "kind", kKinds, input.kind));
  data.set("modes", radios(services, request, "mode", kModes, input.mode));
  data.set("errors",
           themes::PageRenderer::fieldErrors(services.pages.localised(request, errors, "templates.validation.")));
  data.set("is_new", boolean(id == 0));
  data.set("action", id == 0 ? "/admin/templates/new" : "/admin/templates/" + std::to_string(id) + "/edit");
  markSaved(request, data);
  services.pages.page(request, response, "admin_templates_form", data,
                      id == 0 ? "templates.new.title" : "templates.edit.title", errors.empty() ? 200 : 422);
}

void templateList(app::Services& services, http::Request& request, http::Response& response) {
  Data data{Data::type::object};
  Data rows{Data::type::list};
  for (const auto& t : domain::MissionTemplates(services.db).list()) {
    Data row{Data::type::object};
    row.set("id", std::to_string(t.id));
    row.set("title", t.title);
    row.set("kind", services.pages.text(request, "missions.kind." + t.kind));
    row.set("mode", services.pages.text(request, "missions.mode." + t.mode));
    rows.push_back(row);
  }
  data.set("has_templates", boolean(!rows.is_empty_list()));
  data.set("templates", rows);
  std::string done = request.queryValue("done");
  if (done == "created" || done == "deleted") {
    data.set("done", services.pages.text(request, "templates.done." + done));
  }
  services.pages.page(request, response, "admin_templates", data, "templates.title");
}

}  // namespace

void registerTemplatePages(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  router.get("/admin/templates", guards.federationAdmin(),
             [&services](http::Request& request, http::Response& response) {
               templateList(services, request, response);
             });

  router.get("/admin/templates/new", guards.federationAdmin(),
             [&services](http::Request& request, http::Response& response) {
               domain::MissionTemplateInput input;
               input.kind = "regular";
               input.mode = "onsite";
               templateForm(services, request, response, 0, input, {});
             });
  router.post("/admin/templates/new", guards.federationAdmin(),
              [&services](http::Request& request, http::Response& response) {
                domain::MissionTemplateInput input = inputFrom(request);
                try {
                  domain::MissionTemplates(services.db).create(input);
                } catch (const http::HttpError& error) {
                  if (error.status() != 422) {
                    throw;
                  }
                  templateForm(services, request, response, 0, input, error.fields());
                  return;
                }
                response.redirect("/admin/templates?done=created");
              });

  router.get("/admin/templates/{id}/edit", guards.federationAdmin(),
             [&services](http::Request& request, http::Response& response) {
               auto found = templateOrNotFound(services, request);
               templateForm(services, request, response, found.id, inputOf(found), {});
             });
  router.post("/admin/templates/{id}/edit", guards.federationAdmin(),
              [&services](http::Request& request, http::Response& response) {
                auto found = templateOrNotFound(services, request);
                domain::MissionTemplateInput input = inputFrom(request);
                try {
                  if (!domain::MissionTemplates(services.db).update(found.id, input)) {
                    throw http::notFound("No mission template " + std::to_string(found.id) + ".");
                  }
                } catch (const http::HttpError& error) {
                  if (error.status() != 422) {
                    throw;
                  }
                  templateForm(services, request, response, found.id, input, error.fields());
                  return;
                }
                response.redirect("/admin/templates/" + std::to_string(found.id) + "/edit?saved=1");
              });

  router.post("/admin/templates/{id}/delete", guards.federationAdmin(),
              [&services](http::Request& request, http::Response& response) {
                auto found = templateOrNotFound(services, request);
                domain::MissionTemplates(services.db).remove(found.id);
                response.redirect("/admin/templates?done=deleted");
              });
}

}  // namespace ruche::admin
