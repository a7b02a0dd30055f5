#include "kernel/api/ApiResources.h"
#include "kernel/api/JsonHelpers.h"
#include "kernel/api/Pagination.h"
#include "kernel/auth/Roles.h"
#include "kernel/domain/Applications.h"
#include "kernel/http/Validator.h"

// Applications: a volunteer applies and follows their journey under /me;
// coordinators see the association's pipeline and move applications along.
// Every rule (who, which step, which state) is the domain's; this file maps
// JSON to its calls.
namespace ruche::api {
namespace {

/// `forCoordinator` adds who the volunteer is (pages show the same).
Poco::JSON::Object::Ptr applicationJson(const domain::Application& a, bool forCoordinator) {
  Poco::JSON::Object::Ptr o = newObject();
  o->set("id", a.id);
  Poco::JSON::Object::Ptr mission = newObject();
  mission->set("id", a.missionId);
  mission->set("title", a.missionTitle);
  o->set("mission", mission);
  Poco::JSON::Object::Ptr association = newObject();
  association->set("id", a.associationId);
  association->set("slug", a.associationSlug);
  association->set("name", a.associationName);
  o->set("association", association);
  if (forCoordinator) {
    Poco::JSON::Object::Ptr volunteer = newObject();
    volunteer->set("account_id", a.accountId == 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(a.accountId));
    volunteer->set("name", a.volunteerName);
    volunteer->set("email", textOrNull(a.volunteerEmail));
    o->set("volunteer", volunteer);
  }
  o->set("status", a.status);
  o->set("motivation", a.motivation);
  if (a.referentAccountId == 0) {
    o->set("referent", Poco::Dynamic::Var());
  } else {
    Poco::JSON::Object::Ptr referent = newObject();
    referent->set("account_id", a.referentAccountId);
    referent->set("name", a.referentName);
    o->set("referent", referent);
  }
  o->set("charter_signed_at", isoTime(a.charterSignedAt));
  o->set("created_at", isoTime(a.createdAt));
  o->set("updated_at", isoTime(a.updatedAt));
  return o;
}

/// The application with its history and hours, for one-application answers.
Poco::JSON::Object::Ptr detailJson(app::Services& services, const domain::Application& a, bool forCoordinator) {
  Poco::JSON::Object::Ptr o = applicationJson(a, forCoordinator);
  Poco::JSON::Array::Ptr history = newArray();
  for (const auto& event : domain::Applications(services.db, &services.events).history(a.id)) {
    Poco::JSON::Object::Ptr item = newObject();
    item->set("from", textOrNull(event.fromStatus));
    item->set("to", event.toStatus);
    item->set("actor_name", textOrNull(event.actorName));
    item->set("note", textOrNull(event.note));
    item->set("at", isoTime(event.at));
    history->add(item);
  }
  o->set("history", history);
  Poco::JSON::Array::Ptr hours = newArray();
  for (const auto& entry : domain::Hours(services.db, &services.events).ofApplication(a.id)) {
    hours->add(hoursJson(entry, forCoordinator));
  }
  o->set("hours", hours);
  Poco::JSON::Array::Ptr next = newArray();
  if (forCoordinator) {
    for (const auto& to : domain::coordinatorTargets(a.status)) {
      next->add(to);
    }
    o->set("allowed_transitions", next);
  }
  return o;
}

}  // namespace

void registerApplicationsApi(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  http::Guard coordinator = guards.association(auth::Role::Coordinator);

  router.post("/api/v1/missions/{id}/applications", guards.signedIn(),
              [&services](http::Request& request, http::Response& response) {
                long long missionId = pathId(request, "id");
                JsonReader r(readOptionalJsonObject(request), {"motivation"});
                std::string motivation = r.string("motivation").value_or("");
                r.check();
                domain::Applications applications(services.db, &services.events);
                long long id = applications.apply(missionId, request.visitor.accountId, motivation);
                response.headers["Location"] = "/api/v1/me/applications/" + std::to_string(id);
                writeJson(response, detailJson(services, applications.ownedBy(id, request.visitor.accountId), false),
                          201);
              });

  router.get("/api/v1/me/applications", guards.signedIn(),
             [&services](http::Request& request, http::Response& response) {
               PageRequest page = readPage(request);
               auto all = domain::Applications(services.db, &services.events).ofAccount(request.visitor.accountId);
               auto items = slice(all, page.offset(), page.perPage,
                                  [](const domain::Application& a) { return applicationJson(a, false); });
               writePage(response, request, services.settings.baseUrl, items, page, static_cast<long long>(all.size()));
             });

  router.get("/api/v1/me/applications/{id}", guards.signedIn(),
             [&services](http::Request& request, http::Response& response) {
               auto application = domain::Applications(services.db, &services.events)
                                      .ownedBy(pathId(request, "id"), request.visitor.accountId);
               writeJson(response, detailJson(services, application, false));
             });

  router.post("/api/v1/me/applications/{id}/charter", guards.signedIn(),
              [&services](http::Request& request, http::Response& response) {
                long long id = pathId(request, "id");
                JsonReader r(readJsonObject(request), {"accept"});
                bool accept = r.boolean("accept").value_or(false);
                r.check();
                domain::Applications applications(services.db, &services.events);
                applications.signCharter(id, request.visitor.accountId, accept);
                writeJson(response, detailJson(services, applications.ownedBy(id, request.visitor.accountId), false));
              });

  router.post("/api/v1/me/applications/{id}/withdraw", guards.signedIn(),
              [&services](http::Request& request, http::Response& response) {
                long long id = pathId(request, "id");
                JsonReader r(readOptionalJsonObject(request), {"reason"});
                std::string reason = r.string("reason").value_or("");
                r.check();
                domain::Applications applications(services.db, &services.events);
                applications.withdraw(id, request.visitor.accountId, reason);
                writeJson(response, detailJson(services, applications.ownedBy(id, request.visitor.accountId), false));
              });

  router.get("/api/v1/associations/{slug}/applications", coordinator,
             [&services](http::Request& request, http::Response& response) {
               PageRequest page = readPage(request);
               std::string status = request.queryValue("status");
               if (!status.empty()) {
                 http::Validator v;
                 v.oneOf("status", status, domain::applicationStatuses());
                 v.check();
               }
               auto all = domain::Applications(services.db, &services.events).ofAssociation(request.association->id);
               if (!status.empty()) {
                 std::erase_if(all, [&](const domain::Application& a) { return a.status != status; });
               }
               auto items = slice(all, page.offset(), page.perPage,
                                  [](const domain::Application& a) { return applicationJson(a, true); });
               writePage(response, request, services.settings.baseUrl, items, page, static_cast<long long>(all.size()));
             });

  router.get("/api/v1/associations/{slug}/applications/{id}", coordinator,
             [&services](http::Request& request, http::Response& response) {
               auto application = domain::Applications(services.db, &services.events)
                                      .inAssociation(pathId(request, "id"), request.association->id);
               writeJson(response, detailJson(services, application, true));
             });

  router.post("/api/v1/associations/{slug}/applications/{id}/transitions", coordinator,
              [&services](http::Request& request, http::Response& response) {
                long long id = pathId(request, "id");
                domain::Applications applications(services.db, &services.events);
                // 404 before reading the body: the application must be this association's.
                applications.inAssociation(id, request.association->id);
                JsonReader r(readJsonObject(request), {"to", "note", "referent_account_id"});
                if (!r.has("to")) {
                  r.add("to", "is required");
                }
                std::string to = r.string("to").value_or("");
                std::string note = r.string("note").value_or("");
                std::string referentText = r.integerText("referent_account_id").value_or("");
                long long referent = 0;
                if (!referentText.empty()) {
                  try {
                    referent = std::stoll(referentText);
                  } catch (const std::exception&) {
                    r.add("referent_account_id", "is out of range");
                  }
                }
                r.check();
                applications.transition(id, request.association->id, request.visitor.accountId, to, referent, note);
                writeJson(response,
                          detailJson(services, applications.inAssociation(id, request.association->id), true));
              });
}

}  // namespace ruche::api
