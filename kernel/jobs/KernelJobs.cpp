#include "kernel/jobs/KernelJobs.h"

#include <Poco/Logger.h>

#include <ctime>
#include <tuple>
#include <vector>

#include "kernel/events/Payload.h"

namespace ruche::jobs {

namespace {

constexpr long long kDay = 86400;
constexpr long long kWeek = 7 * kDay;

}  // namespace

std::string KernelJobs::utcDate(long long epochSeconds) {
  std::time_t t = static_cast<std::time_t>(epochSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

void KernelJobs::registerOn(JobScheduler& scheduler) {
  scheduler.add("application.unanswered", JobSchedule::every(std::chrono::hours(1)),
                [this](long long now) { nudgeUnanswered(now); });
  scheduler.add("volunteer.weekly_followup", JobSchedule::every(std::chrono::hours(24 * 7)),
                [this](long long now) { weeklyFollowup(now); });
  scheduler.add("mission.reminder", JobSchedule::dailyAtUtc(7, 0), [this](long long now) { missionReminders(now); });
  scheduler.add("records.purge", JobSchedule::dailyAtUtc(3, 30), [this](long long now) {
    PurgeCounts removed = purgeOldRows(db_, retention_, now);
    if (removed.total() > 0) {
      Poco::Logger::get("ruche").information(
          "purged %Ld delivered event deliveries, %Ld events, %Ld webhook deliveries, %Ld sent-mail records",
          removed.eventDeliveries, removed.events, removed.webhookDeliveries, removed.mailsSent);
    }
  });
}

bool KernelJobs::nudgeOnce(const std::string& kind, long long objectId, long long now, const std::string& topic,
                           long long associationId, const std::string& payload) {
  bool published = false;
  db_.transaction([&](soci::session& sql) {
    // A concurrent insert of the same key (another process) waits for ours on
    // the primary key and then inserts nothing.
    soci::statement st = (sql.prepare << "INSERT INTO job_nudges (kind, object_id, created_at) VALUES (:k, :o, :c) "
                                         "ON CONFLICT (kind, object_id) DO NOTHING",
                          soci::use(kind), soci::use(objectId), soci::use(now));
    st.execute(true);
    if (st.get_affected_rows() == 1) {
      bus_.publish(sql, topic, associationId, payload);
      published = true;
    }
  });
  return published;
}

int KernelJobs::nudgeUnanswered(long long now) {
  // (application, mission, title, association, created_at) still 'applied' after 3 days.
  std::vector<std::tuple<long long, long long, std::string, long long, long long>> rows;
  {
    storage::Database::Session session(db_);
    long long threeDaysAgo = now - 3 * kDay;
    std::string applied = "applied";
    long long id = 0, missionId = 0, associationId = 0, createdAt = 0;
    std::string title;
    soci::statement st =
        (session->prepare << "SELECT ap.id, m.id, m.title, m.association_id, ap.created_at FROM applications ap "
                             "JOIN missions m ON m.id = ap.mission_id "
                             "WHERE ap.status = :s AND ap.created_at <= :t ORDER BY ap.id",
         soci::use(applied), soci::use(threeDaysAgo), soci::into(id), soci::into(missionId), soci::into(title),
         soci::into(associationId), soci::into(createdAt));
    st.execute();
    while (st.fetch()) {
      rows.emplace_back(id, missionId, title, associationId, createdAt);
    }
  }
  int published = 0;
  for (const auto& [id, missionId, title, associationId, createdAt] : rows) {
    int days = createdAt <= now - 10 * kDay ? 10 : 3;
    std::string payload = events::Payload()
                              .set("application_id", id)
                              .set("mission_id", missionId)
                              .set("mission", title)
                              .set("days", static_cast<long long>(days))
                              .json();
    if (nudgeOnce("application.unanswered." + std::to_string(days), id, now, "application.unanswered", associationId,
                  payload)) {
      ++published;
    }
  }
  return published;
}

int KernelJobs::weeklyFollowup(long long now) {
  std::vector<std::pair<long long, long long>> people;  // account, active applications
  {
    storage::Database::Session session(db_);
    std::string active = "active";
    long long accountId = 0, count = 0;
    soci::statement st = (session->prepare << "SELECT account_id, COUNT(*) FROM applications "
                                              "WHERE status = :s AND account_id IS NOT NULL "
                                              "GROUP BY account_id ORDER BY account_id",
                          soci::use(active), soci::into(accountId), soci::into(count));
    st.execute();
    while (st.fetch()) {
      people.emplace_back(accountId, count);
    }
  }
  long long week = now / kWeek;
  int published = 0;
  for (const auto& [accountId, count] : people) {
    std::string payload =
        events::Payload().set("account_id", accountId).set("active_applications", count).set("week", week).json();
    if (nudgeOnce("volunteer.weekly_followup." + std::to_string(week), accountId, now, "volunteer.weekly_followup", 0,
                  payload)) {
      ++published;
    }
  }
  return published;
}

int KernelJobs::missionReminders(long long now) {
  std::string tomorrow = utcDate(now + kDay);
  // (application, account, mission, title, association)
  std::vector<std::tuple<long long, long long, long long, std::string, long long>> rows;
  {
    storage::Database::Session session(db_);
    std::string active = "active", signed_ = "charter_signed", trained = "training_done";
    long long id = 0, accountId = 0, missionId = 0, associationId = 0;
    std::string title;
    soci::statement st =
        (session->prepare << "SELECT ap.id, ap.account_id, m.id, m.title, m.association_id "
                             "FROM applications ap JOIN missions m ON m.id = ap.mission_id "
                             "WHERE m.starts_on = :d AND ap.account_id IS NOT NULL "
                             "AND ap.status IN (:a, :c, :t) ORDER BY ap.id",
         soci::use(tomorrow), soci::use(active), soci::use(signed_), soci::use(trained), soci::into(id),
         soci::into(accountId), soci::into(missionId), soci::into(title), soci::into(associationId));
    st.execute();
    while (st.fetch()) {
      rows.emplace_back(id, accountId, missionId, title, associationId);
    }
  }
  int published = 0;
  for (const auto& [id, accountId, missionId, title, associationId] : rows) {
    std::string payload = events::Payload()
                              .set("account_id", accountId)
                              .set("application_id", id)
                              .set("mission_id", missionId)
                              .set("mission", title)
                              .set("starts_on", tomorrow)
                              .json();
    // Keyed by the date too: a mission moved to a later day is reminded again.
    if (nudgeOnce("mission.reminder." + tomorrow, id, now, "mission.reminder", associationId, payload)) {
      ++published;
    }
  }
  return published;
}

}  // namespace ruche::jobs
