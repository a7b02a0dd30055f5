#include <algorithm>

#include "kernel/auth/Roles.h"
#include "kernel/domain/MissionTemplates.h"
#include "kernel/domain/Missions.h"
#include "kernel/domain/Taxonomy.h"
#include "kernel/plugins/PluginHost.h"
#include "kernel/web/MissionViews.h"
#include "kernel/web/Registrations.h"

// Coordinator pages of an association, under /a/{slug}/manage: the dashboard
// and the missions (list, new, edit, publish, close). Every mission in a URL
// must belong to request.association, else 404.
namespace ruche::web {
namespace {

using themes::Data;
using namespace missionviews;

Data flag(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

std::string managePath(const http::Request& request) {
  return "/a/" + request.association->slug + "/manage";
}

/// Languages typed as "fr:required, en" (also "fr:requis"). A token with
/// another suffix is passed on whole, so validation names it invalid.
std::vector<domain::MissionLanguage> parseLanguages(const std::string& text) {
  std::vector<domain::MissionLanguage> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    std::string token = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? text.size() + 1 : comma + 1;
    auto begin = token.find_first_not_of(" \t");
    if (begin == std::string::npos) {
      continue;
    }
    token = token.substr(begin, token.find_last_not_of(" \t") - begin + 1);
    domain::MissionLanguage language;
    auto colon = token.find(':');
    if (colon == std::string::npos) {
      language.language = token;
    } else {
      std::string suffix = token.substr(colon + 1);
      suffix.erase(0, suffix.find_first_not_of(" \t"));
      if (suffix == "required" || suffix == "requis") {
        language.language = token.substr(0, colon);
        language.language.erase(language.language.find_last_not_of(" \t") + 1);
        language.required = true;
      } else {
        language.language = token;
      }
    }
    out.push_back(language);
  }
  return out;
}

std::string formatLanguages(const std::vector<domain::MissionLanguage>& languages, const std::string& locale) {
  std::string suffix = locale == "fr" ? ":requis" : ":required";
  std::string out;
  for (const auto& language : languages) {
    out += (out.empty() ? "" : ", ") + language.language + (language.required ? suffix : "");
  }
  return out;
}

domain::MissionInput inputFromForm(const http::Request& request) {
  domain::MissionInput input;
  input.title = request.formValue("title");
  input.description = request.formValue("description");
  input.kind = request.formValue("kind");
  input.mode = request.formValue("mode");
  input.place = request.formValue("place");
  input.startsOn = request.formValue("starts_on");
  input.endsOn = request.formValue("ends_on");
  input.schedule = request.formValue("schedule");
  input.durationMinutes = request.formValue("duration_minutes");
  input.placesAvailable = request.formValue("places_available");
  input.referentAccountId = request.formValue("referent_account_id");
  input.requiredSkills = request.formValues("required_skills");
  input.niceSkills = request.formValues("nice_skills");
  input.causes = request.formValues("causes");
  input.languages = parseLanguages(request.formValue("languages"));
  return input;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

Data checkboxes(const std::vector<domain::Term>& terms, const std::vector<std::string>& checked,
                const std::string& prefix) {
  Data list{Data::type::list};
  for (const auto& term : terms) {
    Data item{Data::type::object};
    item.set("value", term.slug);
    item.set("label", term.name);
    item.set("id", prefix + "-" + term.slug);
    item.set("checked", flag(contains(checked, term.slug)));
    list.push_back(item);
  }
  return list;
}

Data choices(const app::Services& services, const http::Request& request, const std::string& area,
             const std::vector<std::string>& values, const std::string& selected) {
  Data list{Data::type::list};
  for (const auto& value : values) {
    Data item{Data::type::object};
    item.set("value", value);
    item.set("id", area + "-" + value);
    item.set("label", services.templates.catalog().text(request.locale, "missions." + area + "." + value));
    item.set("checked", flag(value == selected));
    list.push_back(item);
  }
  return list;
}

/// The new/edit form. `missionId` 0 means a new mission.
void renderForm(app::Services& services, const http::Request& request, http::Response& response,
                const domain::MissionInput& input, long long missionId, bool publish,
                const std::vector<http::FieldError>& errors) {
  Data data{Data::type::object};
  Data values{Data::type::object};
  values.set("title", input.title);
  values.set("description", input.description);
  values.set("place", input.place);
  values.set("starts_on", input.startsOn);
  values.set("ends_on", input.endsOn);
  values.set("schedule", input.schedule);
  values.set("duration_minutes", input.durationMinutes);
  values.set("places_available", input.placesAvailable);
  values.set("languages", formatLanguages(input.languages, request.locale));
  values.set("publish", flag(publish));
  data.set("values", values);
  data.set("kinds", choices(services, request, "kind", {"micro", "regular", "event"}, input.kind));
  data.set("modes", choices(services, request, "mode", {"remote", "onsite", "hybrid"}, input.mode));
  std::vector<domain::Term> skills;
  std::vector<domain::Term> causes;
  Data members{Data::type::list};
  {
    storage::Database::Session session(services.db);
    skills = domain::listSkills(*session, request.locale);
    causes = domain::listCauses(*session, request.locale);
    long long id = 0;
    std::string name;
    soci::statement st =
        (session->prepare << "SELECT a.id, a.display_name FROM memberships m JOIN accounts a ON a.id = m.account_id "
                             "WHERE m.association_id = :s AND a.deleted_at IS NULL ORDER BY a.display_name, a.id",
         soci::use(request.association->id), soci::into(id), soci::into(name));
    st.execute();
    while (st.fetch()) {
      Data item{Data::type::object};
      item.set("value", std::to_string(id));
      item.set("label", name);
      item.set("selected", flag(std::to_string(id) == input.referentAccountId));
      members.push_back(item);
    }
  }
  data.set("members", members);
  data.set("required_skills", checkboxes(skills, input.requiredSkills, "required_skills"));
  data.set("nice_skills", checkboxes(skills, input.niceSkills, "nice_skills"));
  data.set("causes", checkboxes(causes, input.causes, "causes"));
  data.set("errors", themes::PageRenderer::fieldErrors(services.pages.localised(request, errors)));
  data.set("manage_url", managePath(request));
  data.set("is_new", flag(missionId == 0));
  Data panels{Data::type::list};
  int count = 0;
  if (missionId != 0 && services.plugins != nullptr) {
    for (const auto& panel : services.plugins->panels(request, sdk::Panel::Where::MissionManage, missionId)) {
      Data item{Data::type::object};
      item.set("anchor", panel.plugin + "-" + std::to_string(++count));
      item.set("title", panel.title);
      item.set("html", panel.html);  // rendered by the plugin's template, escaped there
      panels.push_back(item);
    }
  }
  data.set("panels", panels);
  data.set("action", missionId == 0 ? managePath(request) + "/missions/new"
                                    : managePath(request) + "/missions/" + std::to_string(missionId) + "/edit");
  if (missionId == 0) {
    domain::MissionTemplates templates(services.db);
    Data list{Data::type::list};
    auto all = templates.list();
    for (const auto& t : all) {
      Data item{Data::type::object};
      item.set("id", std::to_string(t.id));
      item.set("title", t.title);
      list.push_back(item);
    }
    data.set("templates", list);
    data.set("has_templates", flag(!all.empty()));
  }
  services.pages.page(request, response, "manage_mission_form", data,
                      missionId == 0 ? "manage.missions.new_title" : "manage.missions.edit_title",
                      errors.empty() ? 200 : 422);
}

/// The mission of the URL, which must belong to the association of the URL.
domain::Mission ownMission(app::Services& services, const http::Request& request) {
  long long id = idParam(request, "id");
  auto mission = domain::Missions(services.db, &services.events).byId(id);
  if (!mission || mission->associationId != request.association->id) {
    throw http::notFound("No mission " + std::to_string(id) + " in this association.");
  }
  return *mission;
}

void changeStatus(app::Services& services, http::Request& request, http::Response& response,
                  const std::string& status) {
  domain::Mission mission = ownMission(services, request);
  domain::Missions(services.db, &services.events).setStatus(mission.id, status);
  response.redirect(managePath(request) + "/missions?done=" + status);
}

}  // namespace

void registerManagePages(http::Router& router, app::Services& services) {
  http::Guard coordinator = services.guards.association(auth::Role::Coordinator);

  router.get("/a/{slug}/manage", coordinator, [&services](http::Request& request, http::Response& response) {
    Data data{Data::type::object};
    data.set("association_name", request.association->name);
    data.set("manage_url", managePath(request));
    data.set("public_url", "/a/" + request.association->slug);
    Data widgets{Data::type::list};
    Data pluginLinks{Data::type::list};
    if (services.plugins != nullptr) {
      for (const auto& link : services.plugins->menu(request, request.association->id, "association-admin")) {
        Data item{Data::type::object};
        item.set("label", link.label);
        item.set("href", link.href);
        pluginLinks.push_back(item);
      }
      for (const auto& widget : services.plugins->widgets(request)) {
        Data item{Data::type::object};
        item.set("plugin", widget.plugin);
        item.set("title", widget.title);
        item.set("html", widget.html);  // rendered by the plugin's template, escaped there
        widgets.push_back(item);
      }
    }
    data.set("widgets", widgets);
    data.set("plugin_links", pluginLinks);
    services.pages.page(request, response, "manage_dashboard", data, "manage.dashboard.title");
  });

  router.get("/a/{slug}/manage/missions", coordinator, [&services](http::Request& request, http::Response& response) {
    auto missions = domain::Missions(services.db, &services.events).ofAssociation(request.association->id);
    auto skills = skillNames(services, request.locale);
    auto causes = causeNames(services, request.locale);
    Data list{Data::type::list};
    for (const auto& mission : missions) {
      Data item = missionData(services, request, mission, skills, causes);
      item.set("edit_url", managePath(request) + "/missions/" + std::to_string(mission.id) + "/edit");
      item.set("publish_url", managePath(request) + "/missions/" + std::to_string(mission.id) + "/publish");
      item.set("close_url", managePath(request) + "/missions/" + std::to_string(mission.id) + "/close");
      list.push_back(item);
    }
    Data data{Data::type::object};
    data.set("association_name", request.association->name);
    data.set("manage_url", managePath(request));
    data.set("missions", list);
    data.set("has_missions", flag(!missions.empty()));
    Data templates{Data::type::list};
    for (const auto& t : domain::MissionTemplates(services.db).list()) {
      Data item{Data::type::object};
      item.set("url", managePath(request) + "/missions/new?template=" + std::to_string(t.id));
      item.set("title", t.title);
      templates.push_back(item);
    }
    data.set("has_templates", flag(!templates.is_empty_list()));
    data.set("templates", templates);
    std::string done = request.queryValue("done");
    if (done == "created" || done == "saved" || done == "published" || done == "closed") {
      data.set("done", services.pages.text(request, "manage.missions.done_" + done));
    }
    services.pages.page(request, response, "manage_missions", data, "manage.missions.title");
  });

  router.get("/a/{slug}/manage/missions/new", coordinator,
             [&services](http::Request& request, http::Response& response) {
               domain::MissionInput input;
               input.placesAvailable = "1";
               std::string templateId = request.queryValue("template");
               if (!templateId.empty()) {
                 long long id = 0;
                 try {
                   id = std::stoll(templateId);
                 } catch (const std::exception&) {
                   id = 0;
                 }
                 auto found = domain::MissionTemplates(services.db).byId(id);
                 if (!found) {
                   throw http::notFound("No mission template " + templateId + ".");
                 }
                 input = domain::MissionTemplates::instantiate(*found);
               }
               renderForm(services, request, response, input, 0, false, {});
             });

  router.post("/a/{slug}/manage/missions/new", coordinator,
              [&services](http::Request& request, http::Response& response) {
                domain::MissionInput input = inputFromForm(request);
                bool publish = request.formValue("publish") == "1";
                try {
                  domain::Missions(services.db, &services.events)
                      .create(request.association->id, request.visitor.accountId, input, publish);
                } catch (const http::HttpError& error) {
                  if (error.status() != 422) {
                    throw;
                  }
                  renderForm(services, request, response, input, 0, publish, error.fields());
                  return;
                }
                response.redirect(managePath(request) + "/missions?done=" + (publish ? "published" : "created"));
              });

  router.get("/a/{slug}/manage/missions/{id}/edit", coordinator,
             [&services](http::Request& request, http::Response& response) {
               domain::Mission mission = ownMission(services, request);
               renderForm(services, request, response, domain::inputOf(mission), mission.id, false, {});
             });

  router.post("/a/{slug}/manage/missions/{id}/edit", coordinator,
              [&services](http::Request& request, http::Response& response) {
                domain::Mission mission = ownMission(services, request);
                domain::MissionInput input = inputFromForm(request);
                try {
                  domain::Missions(services.db, &services.events).update(mission.id, input);
                } catch (const http::HttpError& error) {
                  if (error.status() != 422) {
                    throw;
                  }
                  renderForm(services, request, response, input, mission.id, false, error.fields());
                  return;
                }
                response.redirect(managePath(request) + "/missions?done=saved");
              });

  router.post("/a/{slug}/manage/missions/{id}/publish", coordinator,
              [&services](http::Request& request, http::Response& response) {
                changeStatus(services, request, response, "published");
              });

  router.post("/a/{slug}/manage/missions/{id}/close", coordinator,
              [&services](http::Request& request, http::Response& response) {
                changeStatus(services, request, response, "closed");
              });
}

}  // namespace ruche::web
