#include "kernel/domain/Hours.h"

#include <chrono>
#include <cstdio>

#include "kernel/events/Payload.h"
#include "kernel/http/HttpError.h"
#include "kernel/http/Validator.h"

namespace ruche::domain {
namespace {

std::vector<HoursEntry> selectHours(soci::session& sql, const std::string& whereAndOrder, long long param) {
  std::vector<HoursEntry> result;
  HoursEntry row;
  soci::statement st =
      (sql.prepare << "SELECT h.id, h.application_id, COALESCE(h.account_id, 0), COALESCE(a.display_name, ''), "
                      "m.title, h.day, h.minutes, h.note, h.status, COALESCE(h.validated_by, 0), "
                      "COALESCE(h.validated_at, 0), h.created_at "
                      "FROM hours h JOIN applications ap ON ap.id = h.application_id "
                      "JOIN missions m ON m.id = ap.mission_id "
                      "LEFT JOIN accounts a ON a.id = h.account_id " +
                          whereAndOrder,
       soci::use(param), soci::into(row.id), soci::into(row.applicationId), soci::into(row.accountId),
       soci::into(row.volunteerName), soci::into(row.missionTitle), soci::into(row.day), soci::into(row.minutes),
       soci::into(row.note), soci::into(row.status), soci::into(row.validatedBy), soci::into(row.validatedAt),
       soci::into(row.createdAt));
  st.execute();
  while (st.fetch()) {
    result.push_back(row);
  }
  return result;
}

}  // namespace

std::string latestToday() {
  using namespace std::chrono;
  auto day = floor<days>(system_clock::now() + hours(14));
  year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

long long Hours::log(long long applicationId, long long accountId, const std::string& day, const std::string& minutes,
                     const std::string& note) {
  http::Validator v;
  std::string d = v.date("day", day, true);
  if (v.ok() && d > latestToday()) {
    v.add("day", "future_day", "must not be in the future");
  }
  auto m = v.integer("minutes", minutes, 1, 1440);
  std::string text = v.optionalText("note", note, 500);
  long long id = 0;
  db_.transaction([&](soci::session& sql) {
    long long owner = 0;
    long long associationId = 0;
    std::string status;
    sql << "SELECT COALESCE(ap.account_id, 0), m.association_id, ap.status FROM applications ap "
           "JOIN missions m ON m.id = ap.mission_id WHERE ap.id = :i",
        soci::use(applicationId), soci::into(owner), soci::into(associationId), soci::into(status);
    if (!sql.got_data() || accountId == 0 || owner != accountId) {
      throw http::notFound("There is no such application.");
    }
    if (status != "active" && status != "completed") {
      throw http::HttpError(409, "Conflict", "Hours are logged once the mission is active.");
    }
    v.check();
    int mins = static_cast<int>(*m);
    long long now = storage::nowSeconds();
    std::string pending = "pending";
    sql << "INSERT INTO hours (application_id, account_id, association_id, day, minutes, note, status, created_at) "
           "VALUES (:ap, :a, :s, :d, :m, :n, :st, :c) RETURNING id",
        soci::use(applicationId), soci::use(accountId), soci::use(associationId), soci::use(d), soci::use(mins),
        soci::use(text), soci::use(pending), soci::use(now), soci::into(id);
    if (events_ != nullptr) {
      events_->publish(sql, "hours.logged", associationId,
                       events::Payload()
                           .set("hours_id", id)
                           .set("application_id", applicationId)
                           .set("account_id", accountId)
                           .set("day", d)
                           .set("minutes", static_cast<long long>(mins))
                           .json());
    }
  });
  return id;
}

std::vector<HoursEntry> Hours::ofApplication(long long applicationId) {
  storage::Database::Session session(db_);
  return selectHours(*session, "WHERE h.application_id = :p ORDER BY h.day DESC, h.id DESC", applicationId);
}

std::vector<HoursEntry> Hours::pendingOfAssociation(long long associationId) {
  storage::Database::Session session(db_);
  return selectHours(*session, "WHERE m.association_id = :p AND h.status = 'pending' ORDER BY h.day, h.id",
                     associationId);
}

void Hours::decide(long long hoursId, long long associationId, long long actorId, bool validate) {
  db_.transaction([&](soci::session& sql) {
    std::string status;
    sql << "SELECT h.status FROM hours h JOIN applications ap ON ap.id = h.application_id "
           "JOIN missions m ON m.id = ap.mission_id WHERE h.id = :h AND m.association_id = :s",
        soci::use(hoursId), soci::use(associationId), soci::into(status);
    if (!sql.got_data()) {
      throw http::notFound("There are no such hours in this association.");
    }
    std::string to = validate ? "validated" : "rejected";
    std::string pending = "pending";
    long long now = storage::nowSeconds();
    soci::statement st = (sql.prepare << "UPDATE hours SET status = :st, validated_by = :b, validated_at = :t "
                                         "WHERE id = :h AND status = :p",
                          soci::use(to), soci::use(actorId), soci::use(now), soci::use(hoursId), soci::use(pending));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      throw http::HttpError(409, "Conflict", "These hours were already " + status + ".");
    }
    if (events_ != nullptr) {
      events_->publish(sql, "hours." + to, associationId,
                       events::Payload().set("hours_id", hoursId).set("actor_account_id", actorId).json());
    }
  });
}

}  // namespace ruche::domain
