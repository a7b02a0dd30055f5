#include "kernel/api/ApiResources.h"
#include "kernel/api/JsonHelpers.h"
#include "kernel/api/Pagination.h"
#include "kernel/auth/Roles.h"
#include "kernel/domain/Taxonomy.h"
#include "kernel/http/Validator.h"

// Missions: the public search and mission (anyone), and a coordinator's
// writes under /api/v1/associations/{slug}/missions. The domain validates and
// writes each change in one transaction; this file maps JSON to its inputs.
namespace ruche::api {
namespace {

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

/// The search filters of the query string (same as the /missions page); 422
/// naming each bad parameter, never results filtered differently than asked.
domain::MissionQuery readQuery(app::Services& services, const http::Request& request, const PageRequest& page) {
  domain::MissionQuery query;
  http::Validator v;
  query.text = v.optionalText("q", request.queryValue("q"), 100);
  query.skill = request.queryValue("skill");
  query.cause = request.queryValue("cause");
  query.association = request.queryValue("association");
  query.mode = request.queryValue("mode");
  std::string remote = request.queryValue("remote");
  storage::Database::Session session(services.db);
  domain::checkFilters(*session, v, query);
  if (!remote.empty()) {
    v.oneOf("remote", remote, {"0", "1", "true", "false"});
  }
  query.remoteOnly = remote == "1" || remote == "true";
  query.from = v.date("from", request.queryValue("from"), false);
  v.check();
  query.page = page.page;
  query.perPage = page.perPage;
  return query;
}

const std::set<std::string> kMissionMembers = {"title",
                                               "description",
                                               "kind",
                                               "mode",
                                               "place",
                                               "starts_on",
                                               "ends_on",
                                               "schedule",
                                               "duration_minutes",
                                               "places_available",
                                               "referent_account_id",
                                               "required_skills",
                                               "nice_skills",
                                               "causes",
                                               "languages",
                                               "publish"};

/// Overlays the members present in `body` on `input`; type errors are 422.
/// Returns the "publish" member (create only).
bool overlay(const Poco::JSON::Object::Ptr& body, domain::MissionInput& input, bool allowPublish) {
  std::set<std::string> known = kMissionMembers;
  if (!allowPublish) {
    known.erase("publish");
  }
  JsonReader r(body, known);
  auto text = [&](const char* name, std::string& target) {
    if (auto value = r.string(name)) {
      target = *value;
    }
  };
  auto integer = [&](const char* name, std::string& target) {
    if (auto value = r.integerText(name)) {
      target = *value;
    }
  };
  auto list = [&](const char* name, std::vector<std::string>& target) {
    if (auto value = r.strings(name)) {
      target = *value;
    }
  };
  text("title", input.title);
  text("description", input.description);
  text("kind", input.kind);
  text("mode", input.mode);
  text("place", input.place);
  text("starts_on", input.startsOn);
  text("ends_on", input.endsOn);
  text("schedule", input.schedule);
  integer("duration_minutes", input.durationMinutes);
  integer("places_available", input.placesAvailable);
  integer("referent_account_id", input.referentAccountId);
  list("required_skills", input.requiredSkills);
  list("nice_skills", input.niceSkills);
  list("causes", input.causes);
  std::vector<domain::MissionLanguage> languages;
  if (r.objects("languages", {"language", "required"}, [&](JsonReader& item, std::size_t) {
        domain::MissionLanguage language;
        if (!item.has("language")) {
          item.add("language", "is required");
        }
        language.language = item.string("language").value_or("");
        language.required = item.boolean("required").value_or(false);
        languages.push_back(language);
      })) {
    input.languages = languages;
  }
  bool publish = false;
  if (allowPublish && r.has("publish")) {
    publish = r.boolean("publish").value_or(false);
  }
  r.check();
  return publish;
}

}  // namespace

Poco::JSON::Object::Ptr missionJson(const domain::Mission& m) {
  Poco::JSON::Object::Ptr o = newObject();
  o->set("id", m.id);
  Poco::JSON::Object::Ptr association = newObject();
  association->set("id", m.associationId);
  association->set("slug", m.associationSlug);
  association->set("name", m.associationName);
  o->set("association", association);
  o->set("title", m.title);
  o->set("description", m.description);
  o->set("kind", m.kind);
  o->set("mode", m.mode);
  o->set("place", m.place);
  o->set("starts_on", textOrNull(m.startsOn));
  o->set("ends_on", textOrNull(m.endsOn));
  o->set("schedule", m.schedule);
  o->set("duration_minutes", m.durationMinutes == 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(m.durationMinutes));
  o->set("places_available", m.placesAvailable);
  o->set("referent_account_id",
         m.referentAccountId == 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(m.referentAccountId));
  o->set("status", m.status);
  o->set("required_skills", stringArray(m.requiredSkills));
  o->set("nice_skills", stringArray(m.niceSkills));
  o->set("causes", stringArray(m.causes));
  Poco::JSON::Array::Ptr languages = newArray();
  for (const auto& language : m.languages) {
    Poco::JSON::Object::Ptr item = newObject();
    item->set("language", language.language);
    item->set("required", language.required);
    languages->add(item);
  }
  o->set("languages", languages);
  o->set("created_at", isoTime(m.createdAt));
  o->set("updated_at", isoTime(m.updatedAt));
  return o;
}

domain::Mission ownMission(app::Services& services, const http::Request& request, long long id) {
  auto mission = domain::Missions(services.db, &services.events).byId(id);
  if (!mission || !request.association || mission->associationId != request.association->id) {
    throw http::notFound("No mission " + std::to_string(id) + " in this association.");
  }
  return *mission;
}

void registerMissionsApi(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  http::Guard coordinator = guards.association(auth::Role::Coordinator);

  router.get("/api/v1/missions", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    PageRequest page = readPage(request);
    domain::MissionPage found =
        domain::Missions(services.db, &services.events).search(readQuery(services, request, page));
    Poco::JSON::Array::Ptr items = newArray();
    for (const auto& mission : found.missions) {
      items->add(missionJson(mission));
    }
    writePage(response, request, services.settings.baseUrl, items, page, found.total);
  });

  router.get("/api/v1/missions/{id}", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    long long id = pathId(request, "id");
    auto mission = domain::Missions(services.db, &services.events).byId(id);
    if (!mission || (mission->status != "published" && !managesMission(services, request, *mission))) {
      throw http::notFound("No mission " + std::to_string(id) + ".");
    }
    writeJson(response, missionJson(*mission));
  });

  router.get("/api/v1/associations/{slug}/missions", coordinator,
             [&services](http::Request& request, http::Response& response) {
               PageRequest page = readPage(request);
               auto all = domain::Missions(services.db, &services.events).ofAssociation(request.association->id);
               Poco::JSON::Array::Ptr items = newArray();
               for (long long i = page.offset();
                    i < static_cast<long long>(all.size()) && i < page.offset() + page.perPage; ++i) {
                 items->add(missionJson(all[static_cast<std::size_t>(i)]));
               }
               writePage(response, request, services.settings.baseUrl, items, page, static_cast<long long>(all.size()));
             });

  router.post("/api/v1/associations/{slug}/missions", coordinator,
              [&services](http::Request& request, http::Response& response) {
                domain::MissionInput input;
                input.placesAvailable = "1";
                bool publish = overlay(readJsonObject(request), input, true);
                domain::Missions missions(services.db, &services.events);
                long long id = missions.create(request.association->id, request.visitor.accountId, input, publish);
                response.headers["Location"] = "/api/v1/missions/" + std::to_string(id);
                writeJson(response, missionJson(*missions.byId(id)), 201);
              });

  router.add("PATCH", "/api/v1/associations/{slug}/missions/{id}", coordinator,
             [&services](http::Request& request, http::Response& response) {
               domain::Mission mission = ownMission(services, request, pathId(request, "id"));
               domain::MissionInput input = domain::inputOf(mission);
               overlay(readJsonObject(request), input, false);
               domain::Missions missions(services.db, &services.events);
               missions.update(mission.id, input);
               writeJson(response, missionJson(*missions.byId(mission.id)));
             });

  for (const auto& [action, status] : {std::pair<std::string, std::string>{"publish", "published"},
                                       std::pair<std::string, std::string>{"close", "closed"}}) {
    router.post("/api/v1/associations/{slug}/missions/{id}/" + action, coordinator,
                [&services, status = status](http::Request& request, http::Response& response) {
                  domain::Mission mission = ownMission(services, request, pathId(request, "id"));
                  domain::Missions missions(services.db, &services.events);
                  missions.setStatus(mission.id, status);
                  writeJson(response, missionJson(*missions.byId(mission.id)));
                });
  }
}

}  // namespace ruche::api
