#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kernel/app/App.h"
#include "kernel/events/EventBus.h"
#include "kernel/jobs/JobScheduler.h"
#include "kernel/jobs/KernelJobs.h"
#include "kernel/jobs/Purge.h"
#include "kernel/jobs/Responsiveness.h"
#include "kernel/storage/Migrator.h"
#include "tests/kernel/TestServer.h"

// Scheduled jobs: claimed once across schedulers, nudges published once, and
// the associations' responsiveness.
using namespace ruche;
using namespace ruche::testing;

namespace {

constexpr long long kDay = 86400;

/// A migrated database with an event bus and no App (no scheduler thread).
struct JobsWorld {
  explicit JobsWorld(Backend backend) {
    url = freshDatabaseUrl(backend, dir.path());
    db = storage::Database::open(url, 4);
    storage::Migrator(*db).migrate(app::App::allMigrations());
    bus = std::make_unique<events::EventBus>(*db);
    kernelJobs = std::make_unique<jobs::KernelJobs>(*db, *bus);
  }

  long long exec(const std::string& insertReturningId) {
    long long id = 0;
    db->transaction([&](soci::session& sql) { sql << insertReturningId, soci::into(id); });
    return id;
  }

  void run(const std::string& statement) {
    db->transaction([&](soci::session& sql) { sql << statement; });
  }

  long long count(const std::string& query) {
    storage::Database::Session session(*db);
    long long n = 0;
    *session << query, soci::into(n);
    return n;
  }

  long long outbox(const std::string& topic) {
    return count("SELECT COUNT(*) FROM event_outbox WHERE topic = '" + topic + "'");
  }

  long long association(const std::string& slug) {
    return exec("INSERT INTO associations (slug, name, created_at) VALUES ('" + slug + "', 'Asso " + slug +
                "', 0) RETURNING id");
  }

  long long account(const std::string& name) {
    return exec("INSERT INTO accounts (email, display_name, created_at) VALUES ('" + name + "@ruche.test', '" + name +
                "', 0) RETURNING id");
  }

  long long mission(long long associationId, const std::string& title, const std::string& startsOn = "") {
    return exec(
        "INSERT INTO missions (association_id, title, description, kind, mode, starts_on, status, "
        "created_at, updated_at) VALUES (" +
        std::to_string(associationId) + ", '" + title + "', 'd', 'event', 'onsite', '" + startsOn +
        "', 'published', 0, 0) RETURNING id");
  }

  long long application(long long missionId, long long accountId, const std::string& status, long long createdAt) {
    return exec("INSERT INTO applications (mission_id, account_id, status, created_at, updated_at) VALUES (" +
                std::to_string(missionId) + ", " + std::to_string(accountId) + ", '" + status + "', " +
                std::to_string(createdAt) + ", " + std::to_string(createdAt) + ") RETURNING id");
  }

  void event(long long applicationId, const std::string& from, const std::string& to, long long at) {
    run("INSERT INTO application_events (application_id, from_status, to_status, note, at) VALUES (" +
        std::to_string(applicationId) + ", '" + from + "', '" + to + "', '', " + std::to_string(at) + ")");
  }

  TempDir dir;
  std::string url;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<events::EventBus> bus;
  std::unique_ptr<jobs::KernelJobs> kernelJobs;
};

}  // namespace

TEST_CASE("an unanswered application nudges its association once at day 3 and once at day 10") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      JobsWorld w(backend);
      long long now = storage::nowSeconds();
      long long asso = w.association("a");
      long long volunteer = w.account("v");
      long long mission = w.mission(asso, "Maraude");
      long long fresh = w.application(mission, volunteer, "applied", now - 2 * kDay);
      long long other = w.account("o");
      long long answered = w.application(w.mission(asso, "Atelier"), other, "interview_scheduled", now - 5 * kDay);
      (void)answered;

      CHECK(w.kernelJobs->nudgeUnanswered(now) == 0);  // two days old: not yet

      w.run("UPDATE applications SET created_at = " + std::to_string(now - 3 * kDay - 60) +
            " WHERE id = " + std::to_string(fresh));
      CHECK(w.kernelJobs->nudgeUnanswered(now) == 1);
      CHECK(w.kernelJobs->nudgeUnanswered(now) == 0);  // a re-run nudges nothing
      CHECK(w.kernelJobs->nudgeUnanswered(now + 3600) == 0);
      CHECK(w.outbox("application.unanswered") == 1);
      {
        storage::Database::Session session(*w.db);
        std::string payload;
        long long associationId = 0;
        *session << "SELECT payload, association_id FROM event_outbox WHERE topic = 'application.unanswered'",
            soci::into(payload), soci::into(associationId);
        CHECK(associationId == asso);
        CHECK(payload.find("\"days\":3") != std::string::npos);
        CHECK(payload.find("\"mission\":\"Maraude\"") != std::string::npos);
        CHECK(payload.find("\"application_id\":" + std::to_string(fresh)) != std::string::npos);
      }

      w.run("UPDATE applications SET created_at = " + std::to_string(now - 10 * kDay - 60) +
            " WHERE id = " + std::to_string(fresh));
      CHECK(w.kernelJobs->nudgeUnanswered(now) == 1);
      CHECK(w.kernelJobs->nudgeUnanswered(now) == 0);
      CHECK(w.outbox("application.unanswered") == 2);
      CHECK(w.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'application.unanswered' AND payload LIKE "
                    "'%\"days\":10%'") == 1);

      // Answered meanwhile: nothing more, ever.
      w.run("UPDATE applications SET status = 'declined' WHERE id = " + std::to_string(fresh));
      CHECK(w.kernelJobs->nudgeUnanswered(now + 30 * kDay) == 0);
      CHECK(w.outbox("application.unanswered") == 2);
    }
  }
}

TEST_CASE("the mission reminder goes to the people of tomorrow's missions only, once") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      JobsWorld w(backend);
      long long now = storage::nowSeconds();
      std::string today = jobs::KernelJobs::utcDate(now);
      std::string tomorrow = jobs::KernelJobs::utcDate(now + kDay);
      std::string later = jobs::KernelJobs::utcDate(now + 2 * kDay);
      long long asso = w.association("a");
      long long tomorrowMission = w.mission(asso, "Demain", tomorrow);
      long long todayMission = w.mission(asso, "Aujourdhui", today);
      long long laterMission = w.mission(asso, "Apres", later);
      long long ana = w.account("ana"), bob = w.account("bob"), cyd = w.account("cyd"), dan = w.account("dan");
      long long anaApp = w.application(tomorrowMission, ana, "active", now - kDay);
      long long bobApp = w.application(tomorrowMission, bob, "charter_signed", now - kDay);
      w.application(tomorrowMission, cyd, "applied", now - kDay);     // not yet accepted
      w.application(tomorrowMission, dan, "withdrawn", now - kDay);   // gone
      w.application(todayMission, ana, "active", now - kDay);         // today: too late
      w.application(laterMission, bob, "training_done", now - kDay);  // the day after tomorrow

      CHECK(w.kernelJobs->missionReminders(now) == 2);
      CHECK(w.kernelJobs->missionReminders(now) == 0);
      CHECK(w.outbox("mission.reminder") == 2);
      CHECK(w.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'mission.reminder' AND association_id = " +
                    std::to_string(asso) + " AND (payload LIKE '%\"application_id\":" + std::to_string(anaApp) +
                    ",%' OR payload LIKE '%\"application_id\":" + std::to_string(bobApp) + ",%')") == 2);
      CHECK(w.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'mission.reminder' AND payload LIKE '%" +
                    tomorrow + "%'") == 2);
    }
  }
}

TEST_CASE("the weekly follow-up reaches each active volunteer once a week") {
  JobsWorld w(Backend::Sqlite);
  long long now = storage::nowSeconds();
  long long asso = w.association("a");
  long long ana = w.account("ana"), bob = w.account("bob");
  w.application(w.mission(asso, "Un"), ana, "active", now);
  w.application(w.mission(asso, "Deux"), ana, "active", now);
  w.application(w.mission(asso, "Trois"), bob, "applied", now);
  CHECK(w.kernelJobs->weeklyFollowup(now) == 1);
  CHECK(w.kernelJobs->weeklyFollowup(now) == 0);
  CHECK(w.kernelJobs->weeklyFollowup(now + 7 * kDay) == 1);
  CHECK(w.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'volunteer.weekly_followup' AND payload LIKE "
                "'%\"active_applications\":2%'") == 2);
}

TEST_CASE("the median is the middle value, or the mean of the two middle ones") {
  CHECK_FALSE(jobs::median({}).has_value());
  CHECK(jobs::median({7}) == 7);
  CHECK(jobs::median({9, 1, 5}) == 5);
  CHECK(jobs::median({10, 2, 4, 100}) == 7);
}

TEST_CASE("an association's responsiveness is the median delay to its first answer") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      JobsWorld w(backend);
      long long asso = w.association("a");
      long long elsewhere = w.association("b");
      long long mission = w.mission(asso, "M");
      long long base = 1'000'000;
      CHECK_FALSE(jobs::responsivenessSeconds(*w.db, asso).has_value());
      // Answered after 1 h, 5 h and 30 h (then moved again later: only the first answer counts).
      long long hours[] = {1, 5, 30};
      for (long long h : hours) {
        long long app = w.application(mission, w.account("p" + std::to_string(h)), "active", base);
        w.event(app, "", "applied", base);
        w.event(app, "applied", "interview_scheduled", base + h * 3600);
        w.event(app, "interview_scheduled", "active", base + (h + 100) * 3600);
      }
      // Withdrawn by the volunteer, and still waiting: neither counts.
      long long withdrawn = w.application(mission, w.account("w"), "withdrawn", base);
      w.event(withdrawn, "", "applied", base);
      w.event(withdrawn, "applied", "withdrawn", base + 60);
      long long waiting = w.application(mission, w.account("x"), "applied", base);
      w.event(waiting, "", "applied", base);
      // Another association's quick answer does not count either.
      long long fast = w.application(w.mission(elsewhere, "N"), w.account("y"), "declined", base);
      w.event(fast, "applied", "declined", base + 1);

      CHECK(jobs::responsivenessSeconds(*w.db, asso) == 5 * 3600);
      CHECK(jobs::responsivenessHours(*w.db, asso) == doctest::Approx(5.0));
      CHECK(jobs::responsivenessSeconds(*w.db, elsewhere) == 1);
    }
  }
}

TEST_CASE("the association page and the API show its responsiveness") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long asso = server.createAssociation("reactive", "Réactive");
      server.createAssociation("quiet", "Silencieuse");
      long long volunteer = server.createAccount("v@ruche.test", "correct horse battery", "V");
      long long mission = 0;
      server.services().db.transaction([&](soci::session& sql) {
        sql << "INSERT INTO missions (association_id, title, description, kind, mode, status, created_at, updated_at) "
               "VALUES (:a, 'M', 'd', 'micro', 'remote', 'published', 0, 0) RETURNING id",
            soci::use(asso), soci::into(mission);
        long long app = 0;
        sql << "INSERT INTO applications (mission_id, account_id, status, created_at, updated_at) "
               "VALUES (:m, :v, 'active', 1000, 1000) RETURNING id",
            soci::use(mission), soci::use(volunteer), soci::into(app);
        sql << "INSERT INTO application_events (application_id, from_status, to_status, note, at) "
               "VALUES (:i, 'applied', 'interview_scheduled', '', :at)",
            soci::use(app), soci::use(1000 + 5 * 3600 + 360);
      });
      auto http = server.client();
      auto page = http.get("/a/reactive");
      CHECK(page.status == 200);
      CHECK(page.body.find("class=\"responsiveness\"") != std::string::npos);
      CHECK(page.body.find("5 heures") != std::string::npos);
      CHECK(http.get("/a/quiet").body.find("class=\"responsiveness\"") == std::string::npos);

      auto api = http.get("/api/v1/associations/reactive");
      CHECK(api.status == 200);
      CHECK(api.body.find("\"responsiveness_hours\":5.1") != std::string::npos);
      CHECK(http.get("/api/v1/associations/quiet").body.find("\"responsiveness_hours\":null") != std::string::npos);
    }
  }
}

TEST_CASE("a job claimed by one scheduler does not run in another until its period has passed") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      JobsWorld w(backend);
      jobs::JobScheduler first(*w.db), second(*w.db);
      int runs = 0;
      first.add("count", jobs::JobSchedule::every(std::chrono::hours(1)), [&](long long) { ++runs; });
      second.add("count", jobs::JobSchedule::every(std::chrono::hours(1)), [&](long long) { ++runs; });
      long long now = storage::nowSeconds();
      CHECK(first.runDue(now).size() == 1);
      CHECK(second.runDue(now).empty());
      CHECK(second.runDue(now + 3599).empty());
      CHECK(second.runDue(now + 3600).size() == 1);
      CHECK(first.runDue(now + 3600).empty());
      CHECK(runs == 2);

      // A failed run is released for a retry, not counted as done.
      bool fail = true;
      first.add("flaky", jobs::JobSchedule::every(std::chrono::hours(1)), [&](long long) {
        if (fail) {
          throw std::runtime_error("boom");
        }
      });
      CHECK(first.runDue(now + 3600).empty());
      fail = false;
      CHECK(w.count("SELECT COUNT(*) FROM job_runs WHERE name = 'flaky' AND last_run_at = 0") == 1);
    }
  }
}

TEST_CASE("a daily job is due once per day after its time") {
  auto daily = jobs::JobSchedule::dailyAtUtc(7, 0);
  long long midnight = 20000 * kDay;
  // At 06:00 the last slot is yesterday 07:00; at 08:00 it is today 07:00.
  CHECK(daily.dueIfLastRunBefore(midnight + 6 * 3600) == midnight - kDay + 7 * 3600 + 1);
  CHECK(daily.dueIfLastRunBefore(midnight + 8 * 3600) == midnight + 7 * 3600 + 1);
}

TEST_CASE("two schedulers in threads on one PostgreSQL database run a job once per period") {
  JobsWorld w(Backend::Postgres);
  std::atomic<int> runs{0};
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  auto body = [&](long long) {
    if (running.fetch_add(1) > 0) {
      overlapped = true;
    }
    ++runs;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    running.fetch_sub(1);
  };
  auto otherDb = storage::Database::open(w.url, 4);  // another "process": its own connections
  jobs::JobScheduler a(*w.db), b(*otherDb);
  a.add("once", jobs::JobSchedule::every(std::chrono::hours(1)), body);
  b.add("once", jobs::JobSchedule::every(std::chrono::hours(1)), body);
  long long now = storage::nowSeconds();
  // Three periods; in each, both schedulers try 20 times at once.
  for (int period = 0; period < 3; ++period) {
    long long at = now + period * 3600;
    auto hammer = [at](jobs::JobScheduler& scheduler) {
      for (int i = 0; i < 20; ++i) {
        scheduler.runDue(at);
      }
    };
    std::thread ta(hammer, std::ref(a));
    std::thread tb(hammer, std::ref(b));
    ta.join();
    tb.join();
    CHECK(runs.load() == period + 1);
  }
  CHECK_FALSE(overlapped.load());
}

TEST_CASE("two schedulers running the kernel jobs concurrently publish each nudge once") {
  JobsWorld w(Backend::Postgres);
  long long now = storage::nowSeconds();
  long long asso = w.association("a");
  long long mission = w.mission(asso, "M", jobs::KernelJobs::utcDate(now + kDay));
  for (int i = 0; i < 10; ++i) {
    w.application(mission, w.account("p" + std::to_string(i)), i % 2 == 0 ? "applied" : "active", now - 4 * kDay);
  }
  // Two "processes": separate connection pools, buses, schedulers and kernel jobs on one database.
  auto otherDb = storage::Database::open(w.url, 4);
  events::EventBus otherBus(*otherDb);
  jobs::KernelJobs otherJobs(*otherDb, otherBus);
  jobs::JobScheduler a(*w.db), b(*otherDb);
  w.kernelJobs->registerOn(a);
  otherJobs.registerOn(b);
  std::thread ta([&] { a.runDue(now); });
  std::thread tb([&] { b.runDue(now); });
  ta.join();
  tb.join();
  CHECK(w.outbox("application.unanswered") == 5);
  CHECK(w.outbox("mission.reminder") == 5);
  CHECK(w.outbox("volunteer.weekly_followup") == 5);
  // And the nudge table makes even a forced second run of the bodies a no-op.
  CHECK(otherJobs.nudgeUnanswered(now) == 0);
  CHECK(otherJobs.missionReminders(now) == 0);
  CHECK(otherJobs.weeklyFollowup(now) == 0);
}

TEST_CASE("a running Ruche has its four kernel jobs registered and run at start") {
  TestServer server(Backend::Sqlite);
  storage::Database::Session session(server.services().db);
  std::vector<std::string> names;
  std::string name;
  soci::statement st = (session->prepare << "SELECT name FROM job_runs ORDER BY name", soci::into(name));
  st.execute();
  while (st.fetch()) {
    names.push_back(name);
  }
  CHECK(names == std::vector<std::string>{"application.unanswered", "mission.reminder", "records.purge",
                                          "volunteer.weekly_followup"});
  // Nothing is due again right after: the scheduler thread or this call ran them at most once each.
  server.app().jobs().runDue();
  CHECK(server.app().jobs().runDue().empty());
}

TEST_CASE(
    "the daily purge removes old delivered events and sent-mail records, and keeps recent ones and dead letters") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      JobsWorld w(backend);
      long long now = storage::nowSeconds();
      long long old = now - 31 * kDay;     // past the 30 days
      long long recent = now - 29 * kDay;  // within them
      // An event with a delivery in each state, at a given time (seconds).
      auto event = [&](long long at, const std::string& status) {
        long long id = w.exec(
            "INSERT INTO event_outbox (topic, association_id, payload, created_at) VALUES ('t.x', 0, "
            "'{}', " +
            std::to_string(at * 1000) + ") RETURNING id");
        std::string doneAt = status == "delivered" ? std::to_string(at * 1000) : "NULL";
        std::string diedAt = status == "dead" ? std::to_string(at * 1000) : "NULL";
        w.run(
            "INSERT INTO event_deliveries (event_id, subscriber, status, attempts, next_attempt_at, delivered_at, "
            "dead_at) VALUES (" +
            std::to_string(id) + ", 's', '" + status + "', 1, " + std::to_string(at * 1000) + ", " + doneAt + ", " +
            diedAt + ")");
        return id;
      };
      long long oldDelivered = event(old, "delivered");
      long long recentDelivered = event(recent, "delivered");
      long long oldDead = event(old, "dead");
      long long oldPending = event(old, "pending");
      long long oldUnmatched = w.exec(
          "INSERT INTO event_outbox (topic, association_id, payload, created_at) VALUES "
          "('t.none', 0, '{}', " +
          std::to_string(old * 1000) + ") RETURNING id");
      long long person = w.account("p");
      w.run("INSERT INTO mail_sent (delivery_key, account_id, sent_at) VALUES ('1:mail', " + std::to_string(person) +
            ", " + std::to_string(old) + ")");
      w.run("INSERT INTO mail_sent (delivery_key, account_id, sent_at) VALUES ('2:mail', " + std::to_string(person) +
            ", " + std::to_string(recent) + ")");
      long long asso = w.association("a");
      long long hook =
          w.exec("INSERT INTO webhooks (association_id, url, topics, secret, active, created_at) VALUES (" +
                 std::to_string(asso) + ", 'https://x.example.org', 't.x', 'whsec_x', 1, 0) RETURNING id");
      auto webhookDelivery = [&](long long eventId, long long at, const std::string& status) {
        std::string doneAt = status == "delivered" ? std::to_string(at) : "NULL";
        w.run(
            "INSERT INTO webhook_deliveries (webhook_id, event_id, message_id, topic, payload, occurred_at, status, "
            "attempts, next_attempt_at, created_at, delivered_at) VALUES (" +
            std::to_string(hook) + ", " + std::to_string(eventId) + ", 'msg_" + std::to_string(eventId) +
            "', 't.x', '{}', " + std::to_string(at) + ", '" + status + "', 1, " + std::to_string(at) + ", " +
            std::to_string(at) + ", " + doneAt + ")");
      };
      webhookDelivery(oldDelivered, old, "delivered");
      webhookDelivery(recentDelivered, recent, "delivered");
      webhookDelivery(oldDead, old, "dead");

      jobs::PurgeCounts removed = jobs::purgeOldRows(*w.db, jobs::RetentionPeriods{30, 30}, now);
      CHECK(removed.eventDeliveries == 1);
      CHECK(removed.events == 2);  // the old delivered one and the old one nobody subscribed to
      CHECK(removed.webhookDeliveries == 1);
      CHECK(removed.mailsSent == 1);
      auto exists = [&](long long id) {
        return w.count("SELECT COUNT(*) FROM event_outbox WHERE id = " + std::to_string(id)) == 1;
      };
      CHECK_FALSE(exists(oldDelivered));
      CHECK_FALSE(exists(oldUnmatched));
      CHECK(exists(recentDelivered));
      CHECK(exists(oldDead));     // a dead letter waits for its replay
      CHECK(exists(oldPending));  // still to deliver
      CHECK(w.count("SELECT COUNT(*) FROM event_deliveries") == 3);
      CHECK(w.count("SELECT COUNT(*) FROM event_deliveries WHERE status = 'dead'") == 1);
      CHECK(w.count("SELECT COUNT(*) FROM webhook_deliveries") == 2);
      CHECK(w.count("SELECT COUNT(*) FROM mail_sent WHERE delivery_key = '2:mail'") == 1);
      CHECK(w.count("SELECT COUNT(*) FROM mail_sent") == 1);
      // Nothing left to purge: a second run removes nothing.
      CHECK(jobs::purgeOldRows(*w.db, jobs::RetentionPeriods{30, 30}, now).total() == 0);
      // A shorter retention reaches the recent rows too, never the dead letter.
      jobs::PurgeCounts shorter = jobs::purgeOldRows(*w.db, jobs::RetentionPeriods{7, 7}, now);
      CHECK(shorter.eventDeliveries == 1);
      CHECK(shorter.mailsSent == 1);
      CHECK(exists(oldDead));
    }
  }
}

TEST_CASE("the purge goes through large backlogs in chunks") {
  JobsWorld w(Backend::Sqlite);
  long long now = storage::nowSeconds();
  long long old = (now - 40 * kDay) * 1000;
  w.db->transaction([&](soci::session& sql) {
    for (int i = 0; i < 4500; ++i) {
      long long id = 0;
      sql << "INSERT INTO event_outbox (topic, association_id, payload, created_at) VALUES ('t.x', 0, '{}', :c) "
             "RETURNING id",
          soci::use(old), soci::into(id);
      sql << "INSERT INTO event_deliveries (event_id, subscriber, status, attempts, next_attempt_at, delivered_at) "
             "VALUES (:e, 's', 'delivered', 1, :c, :d)",
          soci::use(id), soci::use(old), soci::use(old);
    }
  });
  jobs::PurgeCounts removed = jobs::purgeOldRows(*w.db, jobs::RetentionPeriods{}, now);
  CHECK(removed.eventDeliveries == 4500);
  CHECK(removed.events == 4500);
  CHECK(w.count("SELECT COUNT(*) FROM event_outbox") == 0);
}
