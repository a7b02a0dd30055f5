#include "kernel/api/ApiResources.h"
#include "kernel/api/JsonHelpers.h"
#include "kernel/domain/PersonalData.h"
#include "kernel/domain/Profiles.h"

// The signed-in person's own data: GET/PUT /api/v1/me/profile and the export
// GET /api/v1/me/data (the same document as the "download my data" page).
namespace ruche::api {
namespace {

Poco::JSON::Object::Ptr profileJson(const domain::Profile& p, const std::vector<domain::Membership>& memberships) {
  Poco::JSON::Object::Ptr o = newObject();
  o->set("display_name", p.displayName);
  o->set("bio", p.bio);
  o->set("place", p.place);
  o->set("remote_only", p.remoteOnly);
  o->set("hours_per_week", p.hoursPerWeek);
  o->set("timezone", p.timezone);
  o->set("locale", p.locale);
  o->set("skills", stringArray(p.skills));
  o->set("causes", stringArray(p.causes));
  Poco::JSON::Array::Ptr languages = newArray();
  for (const auto& language : p.languages) {
    Poco::JSON::Object::Ptr item = newObject();
    item->set("code", language.code);
    item->set("level", language.level);
    languages->add(item);
  }
  o->set("languages", languages);
  Poco::JSON::Array::Ptr slots = newArray();
  for (const auto& slot : p.availability) {
    Poco::JSON::Object::Ptr item = newObject();
    item->set("weekday", slot.weekday);
    item->set("start", slot.start);
    item->set("end", slot.end);
    slots->add(item);
  }
  o->set("availability", slots);
  Poco::JSON::Array::Ptr roles = newArray();
  for (const auto& membership : memberships) {
    Poco::JSON::Object::Ptr item = newObject();
    item->set("slug", membership.slug);
    item->set("name", membership.name);
    item->set("role", membership.role);
    roles->add(item);
  }
  o->set("memberships", roles);
  return o;
}

/// The whole profile from a PUT body: a member left out is cleared (or, for
/// the required ones, reported missing by the domain's validation).
domain::ProfileInput readProfile(const Poco::JSON::Object::Ptr& body) {
  JsonReader r(body, {"display_name", "bio", "place", "remote_only", "hours_per_week", "timezone", "locale", "skills",
                      "causes", "languages", "availability", "memberships"});
  domain::ProfileInput in;
  in.displayName = r.string("display_name").value_or("");
  in.bio = r.string("bio").value_or("");
  in.place = r.string("place").value_or("");
  in.remoteOnly = r.boolean("remote_only").value_or(false);
  in.hoursPerWeek = r.integerText("hours_per_week").value_or("");
  in.timezone = r.string("timezone").value_or("");
  in.locale = r.string("locale").value_or("");
  in.skills = r.strings("skills").value_or(std::vector<std::string>{});
  in.causes = r.strings("causes").value_or(std::vector<std::string>{});
  r.objects("languages", {"code", "level"}, [&](JsonReader& item, std::size_t) {
    domain::LanguageInput language;
    language.code = item.string("code").value_or("");
    language.level = item.string("level").value_or("");
    in.languages.push_back(language);
  });
  r.objects("availability", {"weekday", "start", "end"}, [&](JsonReader& item, std::size_t) {
    domain::SlotInput slot;
    slot.weekday = item.integerText("weekday").value_or("");
    slot.start = item.string("start").value_or("");
    slot.end = item.string("end").value_or("");
    in.availability.push_back(slot);
  });
  r.check();
  return in;
}

}  // namespace

void registerProfileApi(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;

  router.get("/api/v1/me/profile", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    domain::Profiles profiles(services.db);
    long long me = request.visitor.accountId;
    writeJson(response, profileJson(profiles.load(me), profiles.memberships(me)));
  });

  router.add("PUT", "/api/v1/me/profile", guards.signedIn(),
             [&services](http::Request& request, http::Response& response) {
               domain::ProfileInput input = readProfile(readJsonObject(request));
               domain::Profiles profiles(services.db, &services.events);
               long long me = request.visitor.accountId;
               try {
                 profiles.save(me, input);
               } catch (const http::HttpError& error) {
                 throw pointerShaped(error);
               }
               writeJson(response, profileJson(profiles.load(me), profiles.memberships(me)));
             });

  router.get("/api/v1/me/data", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    auto document = domain::PersonalData(services.db, services.personalDataParts).exportJson(request.visitor.accountId);
    response.headers["Content-Disposition"] = "attachment; filename=\"ruche-my-data.json\"";
    writeJson(response, document);
  });
}

}  // namespace ruche::api
