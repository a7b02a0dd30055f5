#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "kernel/events/EventBus.h"
#include "kernel/storage/Database.h"
#include "kernel/storage/Migrator.h"
#include "tests/kernel/TestServer.h"

extern char** environ;

using namespace ruche;
using namespace ruche::testing;

// Real OS processes sharing one database through the event bus: each is a
// tests/events/ruche_event_worker whose subscribers write every delivery
// they get into the table `seen` (no unique constraint: a double delivery
// shows up as two rows instead of being hidden by a failed insert).
namespace {

/// One ruche_event_worker process; killed with SIGKILL if still running at the end.
class Worker {
 public:
  Worker(const std::string& url, const std::filesystem::path& readyFile, const std::vector<std::string>& options)
      : readyFile_(readyFile) {
    std::vector<std::string> args = {RUCHE_EVENT_WORKER, url, readyFile.string()};
    args.insert(args.end(), options.begin(), options.end());
    std::vector<char*> argv;
    for (auto& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&pid_, RUCHE_EVENT_WORKER, nullptr, nullptr, argv.data(), environ) == 0);
  }
  ~Worker() {
    if (pid_ > 0) {
      signal(SIGKILL);
    }
  }

  /// Waits until the worker's dispatcher runs (its ready file exists).
  bool ready(std::chrono::seconds timeout = std::chrono::seconds(20)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!std::filesystem::exists(readyFile_)) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;  // died before being ready
        return false;
      }
      if (std::chrono::steady_clock::now() > until) {
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  /// Sends `sig` and reaps the process; returns its wait status.
  int signal(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
    return status;
  }

  pid_t pid() const { return pid_; }

 private:
  std::filesystem::path readyFile_;
  pid_t pid_ = 0;
};

long long scalar(storage::Database& db, const std::string& sql) {
  storage::Database::Session session(db);
  long long n = 0;
  *session << sql, soci::into(n);
  return n;
}

bool waitUntil(const std::function<bool()>& condition, std::chrono::seconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// The events tables and the workers' `seen` table, in a fresh database.
std::unique_ptr<storage::Database> prepare(const std::string& url) {
  auto db = storage::Database::open(url, 2);
  storage::Migrator(*db).migrate({events::EventBus::migrations()});
  storage::Database::Session session(*db);
  *session << "CREATE TABLE seen (event_id BIGINT NOT NULL, subscriber TEXT NOT NULL, "
              "idempotency_key TEXT NOT NULL, attempt INTEGER NOT NULL, pid BIGINT NOT NULL)";
  return db;
}

void noop(const events::Delivery&) {}

}  // namespace

TEST_CASE("two dispatcher processes on one PostgreSQL deliver every event of a burst, none twice") {
  TempDir dir;
  std::string url = freshDatabaseUrl(Backend::Postgres, dir.path());
  auto db = prepare(url);
  // Each delivery sleeps 2 ms, so one process alone would need about 2 s:
  // both get a share of the work.
  std::vector<std::string> options = {"--subscribers", "first,second", "--pattern", "burst.*", "--sleep-ms", "2",
                                      "--batch",       "20",           "--poll-ms", "20"};
  Worker one(url, dir.path() / "one.ready", options);
  Worker two(url, dir.path() / "two.ready", options);
  REQUIRE(one.ready());
  REQUIRE(two.ready());

  // The publisher knows the subscribers' names (so publish() writes their
  // deliveries) but never dispatches.
  events::EventBus publisher(*db);
  publisher.subscribe("first", "burst.*", noop);
  publisher.subscribe("second", "burst.*", noop);
  publisher.subscribe("elsewhere", "other.*", noop);
  const int kEvents = 500;
  auto started = std::chrono::steady_clock::now();
  for (int batch = 0; batch < kEvents / 50; ++batch) {
    db->transaction([&](soci::session& sql) {
      for (int i = 0; i < 50; ++i) {
        publisher.publish(sql, "burst.tick", 0, "{\"n\": " + std::to_string(batch * 50 + i) + "}");
      }
    });
  }
  bool allDelivered = waitUntil(
      [&] { return scalar(*db, "SELECT COUNT(*) FROM event_deliveries WHERE status = 'delivered'") == 2 * kEvents; },
      std::chrono::seconds(120));
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  MESSAGE("1000 deliveries by two processes in " << elapsed.count() << " ms");
  REQUIRE(allDelivered);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // room for a late duplicate to show
  CHECK(WIFEXITED(one.signal(SIGTERM)));
  CHECK(WIFEXITED(two.signal(SIGTERM)));

  CHECK(scalar(*db, "SELECT COUNT(*) FROM seen") == 2 * kEvents);
  CHECK(scalar(*db,
               "SELECT COUNT(*) FROM (SELECT event_id, subscriber FROM seen GROUP BY event_id, subscriber "
               "HAVING COUNT(*) > 1) twice") == 0);
  CHECK(scalar(*db, "SELECT COUNT(DISTINCT event_id) FROM seen WHERE subscriber = 'first'") == kEvents);
  CHECK(scalar(*db, "SELECT COUNT(DISTINCT event_id) FROM seen WHERE subscriber = 'second'") == kEvents);
  CHECK(scalar(*db, "SELECT COUNT(*) FROM seen WHERE attempt <> 1") == 0);
  // Both processes did part of the work.
  CHECK(scalar(*db, "SELECT COUNT(DISTINCT pid) FROM seen") == 2);
  // The subscriber nobody runs keeps nothing: its pattern matched no event.
  CHECK(scalar(*db, "SELECT COUNT(*) FROM event_deliveries WHERE subscriber = 'elsewhere'") == 0);
}

TEST_CASE("a dispatcher killed with SIGKILL mid-batch: its events are delivered after restart, same keys") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TempDir dir;
      std::string url = freshDatabaseUrl(backend, dir.path());
      auto db = prepare(url);
      events::EventBus publisher(*db);
      publisher.subscribe("slow", "job.*", noop);
      const int kEvents = 12;
      // Committed before any dispatcher runs: only the outbox knows them.
      db->transaction([&](soci::session& sql) {
        for (int i = 0; i < kEvents; ++i) {
          publisher.publish(sql, "job.run", 0, "{\"n\": " + std::to_string(i) + "}");
        }
      });

      // The first process claims the whole batch, records each delivery,
      // then takes 300 ms over it; it dies on the third.
      Worker first(url, dir.path() / "first.ready",
                   {"--subscribers", "slow", "--pattern", "job.*", "--sleep-ms", "300", "--lease-ms", "1000"});
      REQUIRE(first.ready());
      REQUIRE(waitUntil([&] { return scalar(*db, "SELECT COUNT(*) FROM seen") >= 3; }, std::chrono::seconds(20)));
      int status = first.signal(SIGKILL);
      CHECK(WIFSIGNALED(status));
      long long deliveredByFirst = scalar(*db, "SELECT COUNT(*) FROM event_deliveries WHERE status = 'delivered'");
      CHECK(deliveredByFirst < kEvents);
      // The dead process's claims are still held: nothing is free yet.
      CHECK(scalar(*db, "SELECT COUNT(*) FROM event_deliveries WHERE status = 'pending' AND claim_token IS NULL") == 0);

      auto restarted = std::chrono::steady_clock::now();
      Worker second(url, dir.path() / "second.ready",
                    {"--subscribers", "slow", "--pattern", "job.*", "--lease-ms", "1000"});
      REQUIRE(second.ready());
      bool allDelivered = waitUntil(
          [&] { return scalar(*db, "SELECT COUNT(*) FROM event_deliveries WHERE status = 'delivered'") == kEvents; },
          std::chrono::seconds(30));
      auto elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - restarted);
      MESSAGE("the rest delivered " << elapsed.count() << " ms after restart");
      REQUIRE(allDelivered);
      CHECK(WIFEXITED(second.signal(SIGTERM)));

      // Every event reached the subscriber at least once, always under the
      // same idempotency key, and the one in progress at the kill twice.
      CHECK(scalar(*db, "SELECT COUNT(DISTINCT event_id) FROM seen") == kEvents);
      std::map<long long, std::set<std::string>> keys;
      {
        storage::Database::Session session(*db);
        long long eventId = 0;
        std::string key;
        soci::statement st =
            (session->prepare << "SELECT event_id, idempotency_key FROM seen", soci::into(eventId), soci::into(key));
        st.execute();
        while (st.fetch()) {
          keys[eventId].insert(key);
        }
      }
      for (const auto& [eventId, seenKeys] : keys) {
        CHECK(seenKeys == std::set<std::string>{std::to_string(eventId) + ":slow"});
      }
      CHECK(
          scalar(*db, "SELECT COUNT(*) FROM (SELECT event_id FROM seen GROUP BY event_id HAVING COUNT(*) = 2) twice") ==
          1);
      // The retried deliveries count the lost attempt.
      CHECK(scalar(*db, "SELECT COUNT(*) FROM seen WHERE attempt = 2") >= 1);
    }
  }
}
