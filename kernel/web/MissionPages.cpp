#include <chrono>

#include "kernel/auth/Roles.h"
#include "kernel/auth/SessionMiddleware.h"
#include "kernel/domain/Missions.h"
#include "kernel/domain/Taxonomy.h"
#include "kernel/http/Validator.h"
#include "kernel/jobs/Responsiveness.h"
#include "kernel/plugins/PluginHost.h"
#include "kernel/themes/DisplayPreferences.h"
#include "kernel/web/AnonymousPageCache.h"
#include "kernel/web/MissionViews.h"
#include "kernel/web/Registrations.h"

// Public mission pages: the search (/missions), one mission (/missions/{id})
// and an association's page (/a/{slug}).
//
// Invalid search filters (unknown skill, cause or association, bad mode or
// date, page not a number) answer 422 with the form, each bad field named
// next to it, and no results: we never show results filtered differently
// from what the visitor asked for.
namespace ruche::web {
namespace {

using themes::Data;
using namespace missionviews;

Data flag(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

/// The filters of /missions as typed, and what they became once checked.
struct SearchForm {
  domain::MissionQuery query;
  std::string text, skill, cause, association, mode, from, page;
  bool remoteOnly = false;
  std::vector<http::FieldError> errors;
};

SearchForm readSearch(app::Services& services, const http::Request& request) {
  SearchForm form;
  form.text = request.queryValue("q");
  form.skill = request.queryValue("skill");
  form.cause = request.queryValue("cause");
  form.association = request.queryValue("association");
  form.mode = request.queryValue("mode");
  form.from = request.queryValue("from");
  form.page = request.queryValue("page");
  form.remoteOnly = request.queryValue("remote") == "1";

  http::Validator v;
  form.query.text = v.optionalText("q", form.text, 100);
  storage::Database::Session session(services.db);
  form.query.skill = form.skill;
  form.query.cause = form.cause;
  form.query.association = form.association;
  form.query.mode = form.mode;
  domain::checkFilters(*session, v, form.query);
  form.query.from = v.date("from", form.from, false);
  auto page = v.integer("page", form.page, 1, 1000000, false);
  form.query.remoteOnly = form.remoteOnly;
  form.query.page = static_cast<int>(page.value_or(1));
  form.query.perPage = 20;
  form.errors = v.errors();
  return form;
}

// The query string of the current filters, for pagination links.
std::string filterQuery(const SearchForm& form) {
  std::string out;
  auto add = [&out](const std::string& name, const std::string& value) {
    if (!value.empty()) {
      out += (out.empty() ? "" : "&") + name + "=" + urlEncode(value);
    }
  };
  add("q", form.text);
  add("skill", form.skill);
  add("cause", form.cause);
  add("association", form.association);
  add("mode", form.mode);
  add("remote", form.remoteOnly ? "1" : "");
  add("from", form.from);
  return out;
}

Data options(const std::vector<domain::Term>& terms, const std::string& selected) {
  Data list{Data::type::list};
  for (const auto& term : terms) {
    Data item{Data::type::object};
    item.set("value", term.slug);
    item.set("label", term.name);
    item.set("selected", flag(term.slug == selected));
    list.push_back(item);
  }
  return list;
}

void renderSearch(app::Services& services, const http::Request& request, http::Response& response) {
  const auto& catalog = services.templates.catalog();
  SearchForm form = readSearch(services, request);
  Data data{Data::type::object};
  std::vector<domain::Term> skills;
  std::vector<domain::Term> causes;
  std::vector<domain::Term> associations;
  {
    storage::Database::Session session(services.db);
    skills = domain::listSkills(*session, request.locale);
    causes = domain::listCauses(*session, request.locale);
    domain::Term row;
    soci::statement st = (session->prepare << "SELECT id, slug, name FROM associations ORDER BY name, id",
                          soci::into(row.id), soci::into(row.slug), soci::into(row.name));
    st.execute();
    while (st.fetch()) {
      associations.push_back(row);
    }
  }
  Data values{Data::type::object};
  values.set("q", form.text);
  values.set("from", form.from);
  values.set("remote", flag(form.remoteOnly));
  data.set("values", values);
  data.set("skills", options(skills, form.skill));
  data.set("causes", options(causes, form.cause));
  data.set("associations", options(associations, form.association));
  Data modes{Data::type::list};
  for (const std::string mode : {"remote", "onsite", "hybrid"}) {
    Data item{Data::type::object};
    item.set("value", mode);
    item.set("label", catalog.text(request.locale, "missions.mode." + mode));
    item.set("selected", flag(mode == form.mode));
    modes.push_back(item);
  }
  data.set("modes", modes);
  data.set("errors", themes::PageRenderer::fieldErrors(services.pages.localised(request, form.errors)));
  if (!form.errors.empty()) {
    data.set("searched", flag(false));
    services.pages.page(request, response, "missions_search", data, "missions.search.title", 422);
    return;
  }
  domain::MissionPage page = domain::Missions(services.db, &services.events).search(form.query);
  TermNames skillNamesBySlug;
  TermNames causeNamesBySlug;
  for (const auto& s : skills) {
    skillNamesBySlug[s.slug] = s.name;
  }
  for (const auto& c : causes) {
    causeNamesBySlug[c.slug] = c.name;
  }
  Data results{Data::type::list};
  for (const auto& mission : page.missions) {
    results.push_back(missionData(services, request, mission, skillNamesBySlug, causeNamesBySlug));
  }
  data.set("searched", flag(true));
  data.set("missions", results);
  data.set("has_missions", flag(!page.missions.empty()));
  data.set("count", catalog.plural(request.locale, "missions.count", page.total));
  long long pages = (page.total + page.perPage - 1) / page.perPage;
  std::string base = filterQuery(form);
  std::string prefix = "/missions?" + base + (base.empty() ? "" : "&") + "page=";
  data.set("has_pages", flag(pages > 1));
  data.set("page_status", catalog.text(request.locale, "missions.page_of") + " " + std::to_string(page.page) + " / " +
                              std::to_string(std::max(pages, 1LL)));
  data.set("has_prev", flag(page.page > 1 && page.page <= pages + 1));
  data.set("prev_url", prefix + std::to_string(page.page - 1));
  data.set("has_next", flag(page.page < pages));
  data.set("next_url", prefix + std::to_string(page.page + 1));
  services.pages.page(request, response, "missions_search", data, "missions.search.title");
}

/// True when the visitor may see a mission that is not published.
bool managesMission(app::Services& services, const http::Request& request, const domain::Mission& mission) {
  if (!request.visitor.signedIn()) {
    return false;
  }
  if (request.visitor.federationAdmin) {
    return true;
  }
  storage::Database::Session session(services.db);
  auto role = auth::roleIn(*session, request.visitor.accountId, mission.associationId);
  return role && static_cast<int>(*role) >= static_cast<int>(auth::Role::Coordinator);
}

}  // namespace

void registerMissionPages(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  // Anonymous /missions pages are the same for everyone with the same locale
  // and query, until a mission changes: keep them 5 s.
  auto cache = std::make_shared<AnonymousPageCache>(std::chrono::seconds(5), 512);

  router.get("/missions", guards.anyone(), [&services, cache](http::Request& request, http::Response& response) {
    bool anonymous =
        !request.visitor.signedIn() && request.sessionToken.empty() && request.cookie(auth::kSessionCookie).empty();
    if (!anonymous) {
      renderSearch(services, request, response);
      return;
    }
    // Read the generation before the data, so a change during rendering
    // leaves this entry under an old key nobody asks for again.
    auto question = request.target.find('?');
    std::string key = request.locale + '\n' + themes::displayKey(request) + '\n' +
                      (question == std::string::npos ? std::string() : request.target.substr(question + 1)) + '\n' +
                      std::to_string(domain::Missions::generation());
    if (auto hit = cache->find(key)) {
      response.status = hit->status;
      response.contentType = hit->contentType;
      response.body = std::move(hit->body);
      return;
    }
    renderSearch(services, request, response);
    cache->store(key, {response.status, response.contentType, response.body});
  });

  router.get("/missions/{id}", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    long long id = idParam(request, "id");
    auto mission = domain::Missions(services.db, &services.events).byId(id);
    if (!mission) {
      throw http::notFound("No mission " + std::to_string(id) + ".");
    }
    bool manager = managesMission(services, request, *mission);
    if (mission->status != "published" && !manager) {
      throw http::notFound("No mission " + std::to_string(id) + ".");
    }
    Data data = missionData(services, request, *mission, skillNames(services, request.locale),
                            causeNames(services, request.locale));
    data.set("manager", flag(manager));
    services.pages.page(request, response, "missions_show", data, "missions.show.title");
  });

  router.get("/a/{slug}", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    if (!request.association) {
      throw http::notFound();
    }
    Data data{Data::type::object};
    {
      storage::Database::Session session(services.db);
      std::string name, description, email, phone, place, charter;
      *session << "SELECT name, description, contact_email, contact_phone, place, charter FROM associations "
                  "WHERE id = :id",
          soci::use(request.association->id), soci::into(name), soci::into(description), soci::into(email),
          soci::into(phone), soci::into(place), soci::into(charter);
      // Mustache shows a section for any string, even empty: set only what exists.
      auto setIf = [&data](const std::string& key, const std::string& value) {
        if (!value.empty()) {
          data.set(key, value);
        }
      };
      data.set("title", name);
      data.set("slug", request.association->slug);
      setIf("description", description);
      setIf("contact_email", email);
      setIf("contact_phone", phone);
      setIf("association_place", place);
      setIf("charter_excerpt", excerpt(charter, 400));
      data.set("has_contact", flag(!email.empty() || !phone.empty()));
    }
    if (auto seconds = jobs::responsivenessSeconds(services.db, request.association->id)) {
      // Under an hour, whole hours up to two days, then whole days.
      Data answer{Data::type::object};
      if (*seconds < 3600) {
        answer.set("under_hour", flag(true));
      } else if (*seconds < 48 * 3600) {
        answer.set("hours", std::to_string((*seconds + 1800) / 3600));
      } else {
        answer.set("days", std::to_string((*seconds + 43200) / 86400));
      }
      data.set("responsiveness", answer);
    }
    domain::MissionQuery query;
    query.association = request.association->slug;
    query.perPage = 100;
    auto page = domain::Missions(services.db, &services.events).search(query);
    auto skills = skillNames(services, request.locale);
    auto causes = causeNames(services, request.locale);
    Data missions{Data::type::list};
    for (const auto& mission : page.missions) {
      missions.push_back(missionData(services, request, mission, skills, causes));
    }
    data.set("missions", missions);
    data.set("has_missions", flag(!page.missions.empty()));
    data.set("more_missions", flag(page.total > static_cast<long long>(page.missions.size())));
    data.set("all_missions_url", "/missions?association=" + urlEncode(request.association->slug));
    data.set("count", services.templates.catalog().plural(request.locale, "missions.count", page.total));
    Data features{Data::type::list};
    if (services.plugins != nullptr) {
      for (const auto& link : services.plugins->menu(request, request.association->id, "association")) {
        Data item{Data::type::object};
        item.set("label", link.label);
        item.set("href", link.href);
        features.push_back(item);
      }
    }
    data.set("has_features", flag(!features.is_empty_list()));
    data.set("features", features);
    services.pages.page(request, response, "association", data, "association.title");
  });
}

}  // namespace ruche::web
