#include "kernel/api/ApiResources.h"
#include "kernel/api/JsonHelpers.h"
#include "kernel/api/Pagination.h"
#include "kernel/auth/Roles.h"
#include "kernel/domain/Hours.h"
#include "kernel/http/Validator.h"

// Hours: a volunteer logs time on their own application; coordinators list
// the association's pending hours and validate or reject them.
namespace ruche::api {

Poco::JSON::Object::Ptr hoursJson(const domain::HoursEntry& entry, bool withVolunteer) {
  Poco::JSON::Object::Ptr o = newObject();
  o->set("id", entry.id);
  o->set("application_id", entry.applicationId);
  o->set("mission_title", entry.missionTitle);
  if (withVolunteer) {
    Poco::JSON::Object::Ptr volunteer = newObject();
    volunteer->set("account_id", entry.accountId == 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(entry.accountId));
    volunteer->set("name", entry.volunteerName);
    o->set("volunteer", volunteer);
  }
  o->set("day", entry.day);
  o->set("minutes", entry.minutes);
  o->set("note", entry.note);
  o->set("status", entry.status);
  o->set("decided_at", isoTime(entry.validatedAt));
  o->set("created_at", isoTime(entry.createdAt));
  return o;
}

namespace {

/// The entry `id` among the application's hours (just written by the caller).
domain::HoursEntry entryOf(app::Services& services, long long applicationId, long long id) {
  for (const auto& entry : domain::Hours(services.db, &services.events).ofApplication(applicationId)) {
    if (entry.id == id) {
      return entry;
    }
  }
  throw http::notFound("There are no such hours.");
}

}  // namespace

void registerHoursApi(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  http::Guard coordinator = guards.association(auth::Role::Coordinator);

  router.post("/api/v1/me/applications/{id}/hours", guards.signedIn(),
              [&services](http::Request& request, http::Response& response) {
                long long applicationId = pathId(request, "id");
                JsonReader r(readJsonObject(request), {"day", "minutes", "note"});
                std::string day = r.string("day").value_or("");
                std::string minutes = r.integerText("minutes").value_or("");
                std::string note = r.string("note").value_or("");
                r.check();
                long long id = domain::Hours(services.db, &services.events)
                                   .log(applicationId, request.visitor.accountId, day, minutes, note);
                writeJson(response, hoursJson(entryOf(services, applicationId, id), false), 201);
              });

  router.get("/api/v1/associations/{slug}/hours", coordinator,
             [&services](http::Request& request, http::Response& response) {
               PageRequest page = readPage(request);
               // Only pending hours are listed for now; the parameter is there so
               // that clients already say what they want when more come.
               std::string status = request.queryValue("status");
               if (!status.empty()) {
                 http::Validator v;
                 v.oneOf("status", status, {"pending"});
                 v.check();
               }
               auto all = domain::Hours(services.db, &services.events).pendingOfAssociation(request.association->id);
               auto items = slice(all, page.offset(), page.perPage,
                                  [](const domain::HoursEntry& entry) { return hoursJson(entry, true); });
               writePage(response, request, services.settings.baseUrl, items, page, static_cast<long long>(all.size()));
             });

  for (const auto& [action, validate] :
       {std::pair<std::string, bool>{"validate", true}, std::pair<std::string, bool>{"reject", false}}) {
    router.post("/api/v1/associations/{slug}/hours/{id}/" + action, coordinator,
                [&services, validate = validate](http::Request& request, http::Response& response) {
                  long long id = pathId(request, "id");
                  domain::Hours(services.db, &services.events)
                      .decide(id, request.association->id, request.visitor.accountId, validate);
                  Poco::JSON::Object::Ptr o = newObject();
                  o->set("id", id);
                  o->set("status", validate ? "validated" : "rejected");
                  writeJson(response, o);
                });
  }
}

}  // namespace ruche::api
