#include <algorithm>
#include <charconv>
#include <ctime>
#include <functional>

#include "kernel/domain/Applications.h"
#include "kernel/domain/Feedback.h"
#include "kernel/domain/Hours.h"
#include "kernel/http/HttpError.h"
#include "kernel/themes/LocalFormat.h"
#include "kernel/web/Registrations.h"

namespace ruche::web {
namespace {

using themes::Data;

Data flag(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

// A numeric path segment, or 404: /me/applications/abc names nothing.
long long pathId(const http::Request& request, const std::string& name) {
  std::string text = request.param(name);
  long long id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    throw http::notFound();
  }
  return id;
}

// In the reader's language and time zone (their profile's, else the association's).
std::string formatTime(const http::Request& request, long long epoch) {
  if (epoch <= 0) {
    return "";
  }
  return themes::formatDateTime(epoch, request.locale, request.timeZone);
}

std::string formatMinutes(int minutes) {
  std::string text = std::to_string(minutes / 60) + " h";
  if (minutes % 60 != 0) {
    std::string rest = std::to_string(minutes % 60);
    text += " " + (rest.size() == 1 ? "0" + rest : rest);
  }
  return text;
}

std::string statusLabel(const app::Services& services, const http::Request& request, const std::string& status) {
  return services.pages.text(request, "applications.step." + status);
}

// The ordered steps, the current one marked; withdrawn and declined mark none.
Data stepsData(const app::Services& services, const http::Request& request, const std::string& status) {
  Data list{Data::type::list};
  for (const auto& step : domain::applicationSteps()) {
    Data item{Data::type::object};
    item.set("label", statusLabel(services, request, step));
    item.set("current", flag(step == status));
    list.push_back(item);
  }
  return list;
}

// What a form page shows after a refused POST: field errors (422) or one
// message about the state (409, 403).
struct Outcome {
  int status = 200;
  std::vector<http::FieldError> errors;
  std::string alert;
};

void setOutcome(const app::Services& services, const http::Request& request, Data& data, const Outcome& outcome,
                const std::vector<std::string>& keep) {
  data.set("errors",
           themes::PageRenderer::fieldErrors(services.pages.localised(request, outcome.errors, "applications.error.")));
  data.set("alert", outcome.alert);
  data.set("has_alert", flag(!outcome.alert.empty()));
  Data values{Data::type::object};
  if (!outcome.errors.empty()) {
    for (const auto& name : keep) {
      values.set(name, request.formValue(name));
    }
  }
  data.set("values", values);
  // A fixed set of "done" notices after post/redirect/get.
  static const std::vector<std::string> notices = {"applied",  "charter", "withdrawn", "hours",
                                                   "feedback", "moved",   "validated", "rejected"};
  std::string done = request.queryValue("done");
  bool known = std::find(notices.begin(), notices.end(), done) != notices.end();
  data.set("notice", known ? services.pages.text(request, "applications.done." + done) : std::string());
  data.set("has_notice", flag(known));
}

// The domain's 409 details are English (they also serve the API); pages
// show the catalogue text for the ones it knows.
std::string conflictText(const app::Services& services, const http::Request& request, const std::string& detail) {
  static const std::vector<std::pair<std::string, std::string>> known = {
      {"You have already applied", "already_applied"},       {"This mission no longer takes", "mission_closed"},
      {"This application changed meanwhile", "changed"},     {"The charter is signed", "charter"},
      {"This application is already closed", "closed"},      {"Hours are logged once", "hours_not_active"},
      {"These hours were already", "hours_decided"},         {"Feedback is given once", "feedback_not_completed"},
      {"This feedback was already given", "feedback_given"},
  };
  for (const auto& [prefix, code] : known) {
    if (detail.rfind(prefix, 0) == 0) {
      return services.pages.text(request, "applications.conflict." + code);
    }
  }
  return detail;
}

// Runs a POST action; on 422 or 409 re-renders the form page with what went
// wrong instead of an error page, so nothing typed is lost.
void formAction(const app::Services& services, const http::Request& request, const std::function<void()>& action,
                const std::function<void(const Outcome&)>& render) {
  try {
    action();
  } catch (const http::HttpError& error) {
    if (error.status() == 422) {
      render({422, error.fields(), ""});
      return;
    }
    if (error.status() == 409) {
      render({409, {}, conflictText(services, request, error.detail())});
      return;
    }
    throw;
  }
}

Data historyData(const app::Services& services, const http::Request& request,
                 const std::vector<domain::ApplicationEvent>& events) {
  Data list{Data::type::list};
  for (const auto& event : events) {
    Data item{Data::type::object};
    item.set("from", event.fromStatus.empty() ? std::string("—") : statusLabel(services, request, event.fromStatus));
    item.set("to", statusLabel(services, request, event.toStatus));
    item.set("actor", event.actorName);
    item.set("note", event.note);
    item.set("at", formatTime(request, event.at));
    list.push_back(item);
  }
  return list;
}

Data hoursData(const app::Services& services, const http::Request& request,
               const std::vector<domain::HoursEntry>& entries) {
  Data list{Data::type::list};
  for (const auto& entry : entries) {
    Data item{Data::type::object};
    item.set("id", std::to_string(entry.id));
    item.set("application_id", std::to_string(entry.applicationId));
    item.set("volunteer", entry.volunteerName);
    item.set("mission", entry.missionTitle);
    item.set("day", entry.day);
    item.set("duration", formatMinutes(entry.minutes));
    item.set("note", entry.note);
    item.set("status", services.pages.text(request, "applications.hours_status." + entry.status));
    list.push_back(item);
  }
  return list;
}

// Sets feedback.volunteer / feedback.association (given or not) and the lists.
void feedbackData(const app::Services& services, const http::Request& request, Data& data,
                  const std::vector<domain::FeedbackEntry>& entries, const std::string& mine) {
  Data list{Data::type::list};
  bool given = false;
  for (const auto& entry : entries) {
    Data item{Data::type::object};
    item.set("direction", services.pages.text(request, "applications.feedback_direction." + entry.direction));
    item.set("author", entry.authorName);
    item.set("rating", std::to_string(entry.rating));
    item.set("comment", entry.comment);
    item.set("has_comment", flag(!entry.comment.empty()));
    item.set("at", formatTime(request, entry.createdAt));
    list.push_back(item);
    given = given || entry.direction == mine;
  }
  data.set("feedback_list", list);
  data.set("has_feedback", flag(!entries.empty()));
  data.set("feedback_given", flag(given));
}

Data applicationData(const app::Services& services, const http::Request& request, const domain::Application& a) {
  Data item{Data::type::object};
  item.set("id", std::to_string(a.id));
  item.set("mission_id", std::to_string(a.missionId));
  item.set("mission_title", a.missionTitle);
  item.set("association_name", a.associationName);
  item.set("association_slug", a.associationSlug);
  item.set("volunteer_name", a.volunteerName);
  item.set("volunteer_email", a.volunteerEmail);
  item.set("status_label", statusLabel(services, request, a.status));
  item.set("closed_out", flag(a.status == "withdrawn" || a.status == "declined"));
  item.set("motivation", a.motivation);
  item.set("referent_name", a.referentName);
  item.set("has_referent", flag(a.referentAccountId != 0));
  item.set("charter_signed_at", formatTime(request, a.charterSignedAt));
  item.set("charter_signed", flag(a.charterSignedAt != 0));
  item.set("created_at", formatTime(request, a.createdAt));
  item.set("steps", stepsData(services, request, a.status));
  return item;
}

// ---- volunteer pages ------------------------------------------------------

struct MissionSummary {
  long long id = 0;
  std::string title;
  std::string status;
  std::string associationName;
  std::string charter;  ///< the association's volunteer charter, shown before applying
};

MissionSummary publicMission(app::Services& services, long long missionId) {
  MissionSummary mission;
  storage::Database::Session session(services.db);
  *session << "SELECT m.id, m.title, m.status, s.name, s.charter FROM missions m "
              "JOIN associations s ON s.id = m.association_id WHERE m.id = :m",
      soci::use(missionId), soci::into(mission.id), soci::into(mission.title), soci::into(mission.status),
      soci::into(mission.associationName), soci::into(mission.charter);
  if (!session->got_data() || mission.status == "draft") {
    throw http::notFound("There is no such mission.");
  }
  return mission;
}

void applyPage(app::Services& services, http::Request& request, http::Response& response, const Outcome& outcome) {
  long long missionId = pathId(request, "id");
  MissionSummary mission = publicMission(services, missionId);
  domain::Applications applications(services.db, &services.events);
  Data data{Data::type::object};
  data.set("mission_id", std::to_string(mission.id));
  data.set("mission_title", mission.title);
  data.set("association_name", mission.associationName);
  data.set("charter", mission.charter);
  auto existing = applications.existing(missionId, request.visitor.accountId);
  bool unverified = !request.visitor.emailVerified;
  bool closed = mission.status != "published";
  data.set("unverified", flag(unverified));
  data.set("closed", flag(closed && !existing));
  data.set("existing", flag(existing.has_value()));
  data.set("existing_id", existing ? std::to_string(*existing) : std::string());
  data.set("can_apply", flag(!unverified && !closed && !existing));
  setOutcome(services, request, data, outcome, {"motivation"});
  int status = outcome.status;
  if (status == 200 && unverified) {
    status = 403;
  }
  data.set("title", services.pages.text(request, "applications.apply.title") + " : " + mission.title);
  services.pages.page(request, response, "apply", data, "applications.apply.title", status);
}

void myApplicationPage(app::Services& services, http::Request& request, http::Response& response,
                       const Outcome& outcome) {
  long long id = pathId(request, "id");
  domain::Applications applications(services.db, &services.events);
  domain::Application a = applications.ownedBy(id, request.visitor.accountId);
  Data data = applicationData(services, request, a);
  data.set("title", a.missionTitle);
  data.set("history", historyData(services, request, applications.history(id)));
  data.set("can_sign", flag(a.status == "interview_scheduled"));
  data.set("charter", a.charter);
  data.set("has_charter", flag(!a.charter.empty()));
  data.set("can_withdraw", flag(!domain::isFinalStatus(a.status)));
  bool hoursOpen = a.status == "active" || a.status == "completed";
  data.set("can_log_hours", flag(hoursOpen));
  auto hours = domain::Hours(services.db, &services.events).ofApplication(id);
  data.set("hours", hoursData(services, request, hours));
  data.set("has_hours", flag(!hours.empty()));
  data.set("today", domain::latestToday());
  feedbackData(services, request, data, domain::Feedback(services.db).ofApplication(id), "from_volunteer");
  data.set("can_feedback", flag(a.status == "completed"));
  setOutcome(services, request, data, outcome, {"reason", "day", "minutes", "note", "rating", "comment"});
  services.pages.page(request, response, "my_applications_detail", data, "applications.mine.title", outcome.status);
}

// ---- coordinator pages ----------------------------------------------------

std::string manageBase(const http::Request& request) {
  return "/a/" + request.association->slug + "/manage";
}

Data membersData(app::Services& services, long long associationId, long long selected) {
  Data list{Data::type::list};
  storage::Database::Session session(services.db);
  long long id = 0;
  std::string name;
  std::string role;
  soci::statement st = (session->prepare << "SELECT a.id, a.display_name, m.role FROM memberships m "
                                            "JOIN accounts a ON a.id = m.account_id "
                                            "WHERE m.association_id = :s AND a.deleted_at IS NULL "
                                            "ORDER BY a.display_name, a.id",
                        soci::use(associationId), soci::into(id), soci::into(name), soci::into(role));
  st.execute();
  while (st.fetch()) {
    Data item{Data::type::object};
    item.set("id", std::to_string(id));
    item.set("name", name);
    item.set("role", role);
    item.set("selected", flag(id == selected));
    list.push_back(item);
  }
  return list;
}

void managedApplicationPage(app::Services& services, http::Request& request, http::Response& response,
                            const Outcome& outcome) {
  long long id = pathId(request, "id");
  domain::Applications applications(services.db, &services.events);
  domain::Application a = applications.inAssociation(id, request.association->id);
  Data data = applicationData(services, request, a);
  data.set("title", a.volunteerName + " — " + a.missionTitle);
  data.set("base", manageBase(request));
  data.set("history", historyData(services, request, applications.history(id)));
  Data targets{Data::type::list};
  bool toActive = false;
  std::string chosen = request.formValue("to");
  for (const auto& target : domain::coordinatorTargets(a.status)) {
    Data item{Data::type::object};
    item.set("value", target);
    item.set("label", services.pages.text(request, "applications.move_to." + target));
    item.set("checked", flag(target == chosen));
    targets.push_back(item);
    toActive = toActive || target == "active";
  }
  data.set("targets", targets);
  data.set("can_move", flag(!domain::isFinalStatus(a.status)));
  data.set("waiting_for_volunteer", flag(a.status == "interview_scheduled"));
  data.set("to_active", flag(toActive));
  long long selected = request.visitor.accountId;
  if (!request.formValue("referent_account_id").empty()) {
    std::from_chars(request.formValue("referent_account_id").data(),
                    request.formValue("referent_account_id").data() + request.formValue("referent_account_id").size(),
                    selected);
  }
  data.set("members", membersData(services, request.association->id, selected));
  auto hours = domain::Hours(services.db, &services.events).ofApplication(id);
  data.set("hours", hoursData(services, request, hours));
  data.set("has_hours", flag(!hours.empty()));
  feedbackData(services, request, data, domain::Feedback(services.db).ofApplication(id), "from_association");
  data.set("can_feedback", flag(a.status == "completed"));
  setOutcome(services, request, data, outcome, {"note", "rating", "comment"});
  services.pages.page(request, response, "pipeline_detail", data, "applications.pipeline.title", outcome.status);
}

void hoursPage(app::Services& services, http::Request& request, http::Response& response, const Outcome& outcome) {
  Data data{Data::type::object};
  auto pending = domain::Hours(services.db, &services.events).pendingOfAssociation(request.association->id);
  data.set("hours", hoursData(services, request, pending));
  data.set("has_hours", flag(!pending.empty()));
  data.set("base", manageBase(request));
  data.set("association_name", request.association->name);
  setOutcome(services, request, data, outcome, {});
  services.pages.page(request, response, "hours_pending", data, "applications.hours_pending.title", outcome.status);
}

}  // namespace

void registerApplicationPages(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  auto coordinator = guards.association(auth::Role::Coordinator);

  // Apply.
  router.get("/missions/{id}/apply", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    applyPage(services, request, response, {});
  });
  router.post("/missions/{id}/apply", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    long long missionId = pathId(request, "id");
    formAction(
        services, request,
        [&] {
          if (!request.visitor.emailVerified) {
            throw http::HttpError(409, "Conflict", "");  // the page explains and offers a new link
          }
          long long id = domain::Applications(services.db, &services.events)
                             .apply(missionId, request.visitor.accountId, request.formValue("motivation"));
          response.redirect("/me/applications/" + std::to_string(id) + "?done=applied");
        },
        [&](const Outcome& outcome) {
          Outcome shown = outcome;
          if (!request.visitor.emailVerified) {
            shown.status = 403;
          }
          applyPage(services, request, response, shown);
        });
  });

  // The volunteer's own applications.
  router.get("/me/applications", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    Data data{Data::type::object};
    Data list{Data::type::list};
    auto mine = domain::Applications(services.db, &services.events).ofAccount(request.visitor.accountId);
    for (const auto& a : mine) {
      list.push_back(applicationData(services, request, a));
    }
    data.set("applications", list);
    data.set("has_applications", flag(!mine.empty()));
    services.pages.page(request, response, "my_applications", data, "applications.mine.title");
  });
  router.get("/me/applications/{id}", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    myApplicationPage(services, request, response, {});
  });
  auto mineAction = [&services](const std::string& done, std::function<void(http::Request&, long long)> action) {
    return [&services, done, action](http::Request& request, http::Response& response) {
      long long id = pathId(request, "id");
      formAction(
          services, request,
          [&] {
            action(request, id);
            response.redirect("/me/applications/" + std::to_string(id) + "?done=" + done);
          },
          [&](const Outcome& outcome) { myApplicationPage(services, request, response, outcome); });
    };
  };
  router.post("/me/applications/{id}/charter", guards.signedIn(),
              mineAction("charter", [&services](http::Request& request, long long id) {
                domain::Applications(services.db, &services.events)
                    .signCharter(id, request.visitor.accountId, request.formValue("accept") == "1");
              }));
  router.post("/me/applications/{id}/withdraw", guards.signedIn(),
              mineAction("withdrawn", [&services](http::Request& request, long long id) {
                domain::Applications(services.db, &services.events)
                    .withdraw(id, request.visitor.accountId, request.formValue("reason"));
              }));
  router.post("/me/applications/{id}/hours", guards.signedIn(),
              mineAction("hours", [&services](http::Request& request, long long id) {
                domain::Hours(services.db, &services.events)
                    .log(id, request.visitor.accountId, request.formValue("day"), request.formValue("minutes"),
                         request.formValue("note"));
              }));
  router.post("/me/applications/{id}/feedback", guards.signedIn(),
              mineAction("feedback", [&services](http::Request& request, long long id) {
                domain::Applications(services.db, &services.events).ownedBy(id, request.visitor.accountId);
                domain::Feedback(services.db)
                    .give(id, "from_volunteer", request.visitor.accountId, request.formValue("rating"),
                          request.formValue("comment"));
              }));

  // Coordinators: the pipeline of the association's applications.
  router.get("/a/{slug}/manage/applications", coordinator,
             [&services](http::Request& request, http::Response& response) {
               auto all = domain::Applications(services.db, &services.events).ofAssociation(request.association->id);
               Data groups{Data::type::list};
               for (const auto& status : domain::applicationStatuses()) {
                 Data group{Data::type::object};
                 Data items{Data::type::list};
                 int count = 0;
                 for (const auto& a : all) {
                   if (a.status == status) {
                     items.push_back(applicationData(services, request, a));
                     ++count;
                   }
                 }
                 group.set("status", status);
                 group.set("label", statusLabel(services, request, status));
                 group.set("count", std::to_string(count));
                 group.set("items", items);
                 group.set("any", flag(count > 0));
                 groups.push_back(group);
               }
               Data data{Data::type::object};
               data.set("groups", groups);
               data.set("base", manageBase(request));
               data.set("association_name", request.association->name);
               services.pages.page(request, response, "pipeline", data, "applications.pipeline.title");
             });
  router.get("/a/{slug}/manage/applications/{id}", coordinator,
             [&services](http::Request& request, http::Response& response) {
               managedApplicationPage(services, request, response, {});
             });
  auto managedAction = [&services](const std::string& done, std::function<void(http::Request&, long long)> action) {
    return [&services, done, action](http::Request& request, http::Response& response) {
      long long id = pathId(request, "id");
      formAction(
          services, request,
          [&] {
            action(request, id);
            response.redirect(manageBase(request) + "/applications/" + std::to_string(id) + "?done=" + done);
          },
          [&](const Outcome& outcome) { managedApplicationPage(services, request, response, outcome); });
    };
  };
  router.post("/a/{slug}/manage/applications/{id}/transition", coordinator,
              managedAction("moved", [&services](http::Request& request, long long id) {
                long long referent = 0;
                std::string text = request.formValue("referent_account_id");
                if (!text.empty()) {
                  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), referent);
                  if (ec != std::errc() || end != text.data() + text.size() || referent <= 0) {
                    throw http::unprocessable({{"referent_account_id", "must be a member", "referent"}});
                  }
                }
                domain::Applications(services.db, &services.events)
                    .transition(id, request.association->id, request.visitor.accountId, request.formValue("to"),
                                referent, request.formValue("note"));
              }));
  router.post("/a/{slug}/manage/applications/{id}/feedback", coordinator,
              managedAction("feedback", [&services](http::Request& request, long long id) {
                domain::Applications(services.db, &services.events).inAssociation(id, request.association->id);
                domain::Feedback(services.db)
                    .give(id, "from_association", request.visitor.accountId, request.formValue("rating"),
                          request.formValue("comment"));
              }));

  // Coordinators: hours waiting for a decision.
  router.get("/a/{slug}/manage/hours", coordinator, [&services](http::Request& request, http::Response& response) {
    hoursPage(services, request, response, {});
  });
  for (const bool validate : {true, false}) {
    router.post(std::string("/a/{slug}/manage/hours/{id}/") + (validate ? "validate" : "reject"), coordinator,
                [&services, validate](http::Request& request, http::Response& response) {
                  long long id = pathId(request, "id");
                  formAction(
                      services, request,
                      [&] {
                        domain::Hours(services.db, &services.events)
                            .decide(id, request.association->id, request.visitor.accountId, validate);
                        response.redirect(manageBase(request) + "/hours?done=" + (validate ? "validated" : "rejected"));
                      },
                      [&](const Outcome& outcome) { hoursPage(services, request, response, outcome); });
                });
  }
}

}  // namespace ruche::web
