#include "kernel/domain/Applications.h"

#include <algorithm>

#include "kernel/events/Payload.h"
#include "kernel/http/HttpError.h"
#include "kernel/http/Validator.h"

namespace ruche::domain {
namespace {

const char* const kSelectApplication =
    "SELECT ap.id, ap.mission_id, m.title, m.association_id, s.slug, s.name, s.charter, "
    "COALESCE(ap.account_id, 0), COALESCE(v.display_name, ''), COALESCE(v.email, ''), ap.status, ap.motivation, "
    "COALESCE(ap.referent_account_id, 0), COALESCE(r.display_name, ''), COALESCE(ap.charter_signed_at, 0), "
    "ap.created_at, ap.updated_at "
    "FROM applications ap JOIN missions m ON m.id = ap.mission_id "
    "JOIN associations s ON s.id = m.association_id "
    "LEFT JOIN accounts v ON v.id = ap.account_id "
    "LEFT JOIN accounts r ON r.id = ap.referent_account_id ";

// Runs kSelectApplication with one fixed WHERE fragment binding one id.
std::vector<Application> selectApplications(soci::session& sql, const std::string& whereAndOrder, long long param) {
  std::vector<Application> result;
  Application row;
  soci::statement st =
      (sql.prepare << std::string(kSelectApplication) + whereAndOrder, soci::use(param), soci::into(row.id),
       soci::into(row.missionId), soci::into(row.missionTitle), soci::into(row.associationId),
       soci::into(row.associationSlug), soci::into(row.associationName), soci::into(row.charter),
       soci::into(row.accountId), soci::into(row.volunteerName), soci::into(row.volunteerEmail), soci::into(row.status),
       soci::into(row.motivation), soci::into(row.referentAccountId), soci::into(row.referentName),
       soci::into(row.charterSignedAt), soci::into(row.createdAt), soci::into(row.updatedAt));
  st.execute();
  while (st.fetch()) {
    result.push_back(row);
  }
  return result;
}

http::HttpError conflict(const std::string& detail) {
  return http::HttpError(409, "Conflict", detail);
}

bool isMember(soci::session& sql, long long accountId, long long associationId) {
  long long count = 0;
  sql << "SELECT COUNT(*) FROM memberships WHERE account_id = :a AND association_id = :s", soci::use(accountId),
      soci::use(associationId), soci::into(count);
  return count > 0;
}

}  // namespace

const std::vector<std::string>& applicationSteps() {
  static const std::vector<std::string> steps = {
      "applied", "interview_scheduled", "charter_signed", "training_done", "active", "completed"};
  return steps;
}

const std::vector<std::string>& applicationStatuses() {
  static const std::vector<std::string> statuses = {"applied", "interview_scheduled", "charter_signed", "training_done",
                                                    "active",  "completed",           "withdrawn",      "declined"};
  return statuses;
}

bool isFinalStatus(const std::string& status) {
  return status == "completed" || status == "withdrawn" || status == "declined";
}

std::optional<std::string> nextStep(const std::string& status) {
  const auto& steps = applicationSteps();
  auto it = std::find(steps.begin(), steps.end(), status);
  if (it == steps.end() || it + 1 == steps.end()) {
    return std::nullopt;
  }
  return *(it + 1);
}

std::vector<std::string> coordinatorTargets(const std::string& status) {
  std::vector<std::string> targets;
  if (isFinalStatus(status)) {
    return targets;
  }
  auto next = nextStep(status);
  if (next && *next != "charter_signed") {
    targets.push_back(*next);
  }
  targets.push_back("declined");
  return targets;
}

long long Applications::apply(long long missionId, long long accountId, const std::string& motivation) {
  http::Validator v;
  std::string text = v.optionalText("motivation", motivation, 2000);
  long long id = 0;
  db_.transaction([&](soci::session& sql) {
    soci::indicator verifiedInd = soci::i_null;
    long long verifiedAt = 0;
    sql << "SELECT email_verified_at FROM accounts WHERE id = :a AND deleted_at IS NULL", soci::use(accountId),
        soci::into(verifiedAt, verifiedInd);
    if (!sql.got_data()) {
      throw http::notFound("This account does not exist.");
    }
    if (verifiedInd != soci::i_ok) {
      throw http::forbidden("Verify your e-mail address before applying to a mission.");
    }
    std::string status;
    long long associationId = 0;
    sql << "SELECT status, association_id FROM missions WHERE id = :m", soci::use(missionId), soci::into(status),
        soci::into(associationId);
    if (!sql.got_data() || status == "draft") {
      throw http::notFound("There is no such mission.");
    }
    if (status != "published") {
      throw conflict("This mission no longer takes applications.");
    }
    long long count = 0;
    sql << "SELECT COUNT(*) FROM applications WHERE mission_id = :m AND account_id = :a", soci::use(missionId),
        soci::use(accountId), soci::into(count);
    if (count > 0) {
      throw conflict("You have already applied to this mission.");
    }
    v.check();
    long long now = storage::nowSeconds();
    std::string applied = "applied";
    std::string empty;
    // The unique index applications_one_per_person still guards a race
    // between the count above and this insert: the loser gets a 500-free 409.
    try {
      sql << "INSERT INTO applications (mission_id, account_id, status, motivation, created_at, updated_at) "
             "VALUES (:m, :a, :s, :t, :c, :u) RETURNING id",
          soci::use(missionId), soci::use(accountId), soci::use(applied), soci::use(text), soci::use(now),
          soci::use(now), soci::into(id);
    } catch (const soci::soci_error&) {
      throw conflict("You have already applied to this mission.");
    }
    sql << "INSERT INTO application_events (application_id, from_status, to_status, actor_account_id, note, at) "
           "VALUES (:i, :f, :t, :a, :n, :at)",
        soci::use(id), soci::use(empty), soci::use(applied), soci::use(accountId), soci::use(empty), soci::use(now);
    if (events_ != nullptr) {
      events_->publish(sql, "application.created", associationId,
                       events::Payload()
                           .set("application_id", id)
                           .set("mission_id", missionId)
                           .set("account_id", accountId)
                           .set("status", applied)
                           .json());
    }
  });
  return id;
}

std::optional<Application> Applications::byId(long long applicationId) {
  storage::Database::Session session(db_);
  auto rows = selectApplications(*session, "WHERE ap.id = :p", applicationId);
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

Application Applications::ownedBy(long long applicationId, long long accountId) {
  auto application = byId(applicationId);
  if (!application || accountId == 0 || application->accountId != accountId) {
    throw http::notFound("There is no such application.");
  }
  return *application;
}

Application Applications::inAssociation(long long applicationId, long long associationId) {
  auto application = byId(applicationId);
  if (!application || application->associationId != associationId) {
    throw http::notFound("There is no such application in this association.");
  }
  return *application;
}

std::optional<long long> Applications::existing(long long missionId, long long accountId) {
  storage::Database::Session session(db_);
  long long id = 0;
  *session << "SELECT id FROM applications WHERE mission_id = :m AND account_id = :a", soci::use(missionId),
      soci::use(accountId), soci::into(id);
  if (!session->got_data()) {
    return std::nullopt;
  }
  return id;
}

std::vector<Application> Applications::ofAccount(long long accountId) {
  storage::Database::Session session(db_);
  return selectApplications(*session, "WHERE ap.account_id = :p ORDER BY ap.created_at DESC, ap.id DESC", accountId);
}

std::vector<Application> Applications::ofAssociation(long long associationId) {
  storage::Database::Session session(db_);
  return selectApplications(*session, "WHERE m.association_id = :p ORDER BY ap.created_at DESC, ap.id DESC",
                            associationId);
}

std::vector<ApplicationEvent> Applications::history(long long applicationId) {
  storage::Database::Session session(db_);
  std::vector<ApplicationEvent> events;
  ApplicationEvent row;
  soci::statement st =
      (session->prepare << "SELECT e.from_status, e.to_status, COALESCE(e.actor_account_id, 0), "
                           "COALESCE(a.display_name, ''), e.note, e.at FROM application_events e "
                           "LEFT JOIN accounts a ON a.id = e.actor_account_id "
                           "WHERE e.application_id = :i ORDER BY e.at, e.id",
       soci::use(applicationId), soci::into(row.fromStatus), soci::into(row.toStatus), soci::into(row.actorAccountId),
       soci::into(row.actorName), soci::into(row.note), soci::into(row.at));
  st.execute();
  while (st.fetch()) {
    events.push_back(row);
  }
  return events;
}

void Applications::move(soci::session& sql, long long applicationId, const std::string& from, const std::string& to,
                        long long actorId, const std::string& note) {
  long long now = storage::nowSeconds();
  soci::statement st = (sql.prepare << "UPDATE applications SET status = :to, updated_at = :u "
                                       "WHERE id = :i AND status = :from",
                        soci::use(to), soci::use(now), soci::use(applicationId), soci::use(from));
  st.execute(true);
  if (st.get_affected_rows() != 1) {
    throw conflict("This application changed meanwhile; reload the page and try again.");
  }
  sql << "INSERT INTO application_events (application_id, from_status, to_status, actor_account_id, note, at) "
         "VALUES (:i, :f, :t, :a, :n, :at)",
      soci::use(applicationId), soci::use(from), soci::use(to), soci::use(actorId), soci::use(note), soci::use(now);
  if (events_ != nullptr) {
    long long associationId = 0;
    sql << "SELECT m.association_id FROM applications ap JOIN missions m ON m.id = ap.mission_id WHERE ap.id = :i",
        soci::use(applicationId), soci::into(associationId);
    events_->publish(sql, "application.status_changed", associationId,
                     events::Payload()
                         .set("application_id", applicationId)
                         .set("from", from)
                         .set("to", to)
                         .set("actor_account_id", actorId)
                         .json());
  }
}

void Applications::signCharter(long long applicationId, long long accountId, bool accepted) {
  Application application = ownedBy(applicationId, accountId);
  if (application.status != "interview_scheduled") {
    throw conflict("The charter is signed after the interview is scheduled, and only once.");
  }
  if (!accepted) {
    throw http::unprocessable({{"accept", "must be ticked to sign the charter", "charter_accept"}});
  }
  db_.transaction([&](soci::session& sql) {
    move(sql, applicationId, "interview_scheduled", "charter_signed", accountId, "");
    long long now = storage::nowSeconds();
    sql << "UPDATE applications SET charter_signed_at = :t WHERE id = :i", soci::use(now), soci::use(applicationId);
  });
}

void Applications::withdraw(long long applicationId, long long accountId, const std::string& reason) {
  http::Validator v;
  std::string note = v.optionalText("reason", reason, 500);
  Application application = ownedBy(applicationId, accountId);
  if (isFinalStatus(application.status)) {
    throw conflict("This application is already closed.");
  }
  v.check();
  db_.transaction(
      [&](soci::session& sql) { move(sql, applicationId, application.status, "withdrawn", accountId, note); });
}

void Applications::transition(long long applicationId, long long associationId, long long actorId,
                              const std::string& to, long long referentAccountId, const std::string& note) {
  Application application = inAssociation(applicationId, associationId);
  http::Validator v;
  std::string text = v.optionalText("note", note, 500);
  auto targets = coordinatorTargets(application.status);
  if (std::find(targets.begin(), targets.end(), to) == targets.end()) {
    v.add("to", "transition",
          "cannot move an application from " + application.status + " to " + (to.empty() ? "nothing" : to));
  }
  long long referent = referentAccountId != 0 ? referentAccountId : actorId;
  db_.transaction([&](soci::session& sql) {
    if (to == "active" && referentAccountId != 0 && !isMember(sql, referentAccountId, associationId)) {
      v.add("referent_account_id", "referent", "must be a member of the association");
    }
    v.check();
    move(sql, applicationId, application.status, to, actorId, text);
    if (to == "active") {
      sql << "UPDATE applications SET referent_account_id = :r WHERE id = :i", soci::use(referent),
          soci::use(applicationId);
    }
  });
}

}  // namespace ruche::domain
