// events_bench DATABASE_URL SECONDS RATE — the `events` benchmark's worker
// (tests/bench/run starts it once on SQLite and once on PostgreSQL).
//
// Three phases on one fresh database, each about SECONDS long:
//   1. plain: the baseline, INSERTs of the same payload into a plain table,
//      in transactions of kBatch rows, as fast as possible;
//   2. burst: the same events published through the bus (publish() in
//      transactions of kBatch events) by one thread while the bus's dispatcher
//      delivers them to one subscriber; events received per second over the
//      window (the backlog left at the end is dropped);
//   3. sustained: RATE events per second (one per transaction, evenly spaced),
//      then the p50/p99 age of each event when it was delivered
//      (event_deliveries.delivered_at - event_outbox.created_at).
// Prints one JSON object on stdout; progress on stderr.
#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "kernel/events/EventBus.h"
#include "kernel/storage/Database.h"
#include "kernel/storage/Migrator.h"

namespace {

using Clock = std::chrono::steady_clock;
using ruche::storage::Database;

constexpr int kBatch = 50;
const std::string kPayload =
    R"({"application_id":123456,"mission_id":4242,"account_id":777,"status":"applied","mission":"Maraude du soir"})";

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long long percentile(std::vector<long long> values, double p) {
  if (values.empty()) {
    return -1;
  }
  std::sort(values.begin(), values.end());
  auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

/// Phase 1: rows per second into a plain table, same payload and batching.
double plainInserts(Database& db, double seconds) {
  for (const auto& statement :
       ruche::storage::Migrator::statementsFor("CREATE TABLE bench_plain (id {{id}}, topic TEXT NOT NULL, "
                                               "association_id BIGINT NOT NULL, payload TEXT NOT NULL, "
                                               "created_at BIGINT NOT NULL);",
                                               db.backend())) {
    Database::Session session(db);
    *session << statement;
  }
  long long rows = 0;
  std::string topic = "bench.plain";
  long long association = 1;
  auto start = Clock::now();
  while (secondsSince(start) < seconds) {
    db.transaction([&](soci::session& sql) {
      for (int i = 0; i < kBatch; ++i) {
        long long now =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        sql << "INSERT INTO bench_plain (topic, association_id, payload, created_at) VALUES (:t, :a, :p, :c)",
            soci::use(topic), soci::use(association), soci::use(kPayload), soci::use(now);
      }
    });
    rows += kBatch;
  }
  return static_cast<double>(rows) / secondsSince(start);
}

bool waitFor(const std::atomic<long long>& received, long long expected, double timeoutSeconds) {
  auto start = Clock::now();
  while (received.load() < expected) {
    if (secondsSince(start) > timeoutSeconds) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: events_bench DATABASE_URL SECONDS RATE\n";
    return 2;
  }
  std::string url = argv[1];
  double seconds = std::atof(argv[2]);
  int rate = std::atoi(argv[3]);
  try {
    auto db = Database::open(url, 4);
    ruche::storage::Migrator(*db).migrate({ruche::events::EventBus::migrations()});

    std::cerr << "events_bench: plain inserts for " << seconds << " s\n";
    double plainRate = plainInserts(*db, seconds);

    std::cerr << "events_bench: burst for " << seconds << " s\n";
    long long published = 0;
    long long burstDelivered = 0;
    bool burstDrained = false;
    double burstRate = 0;
    {
      // One thread publishes as fast as it can while the bus's dispatcher
      // delivers; then the backlog drains. Throughput: events received over
      // the time from the first publish to the last receipt. The drain is
      // bounded; what is left then is dropped (and the figure covers what arrived).
      ruche::events::EventBus bus(*db);
      std::atomic<long long> received{0};
      std::atomic<long long> lastReceipt{0};  // steady-clock ticks
      bus.subscribe("bench", "bench.*", [&](const ruche::events::Delivery&) {
        lastReceipt = Clock::now().time_since_epoch().count();
        ++received;
      });
      bus.start();
      auto start = Clock::now();
      while (secondsSince(start) < seconds) {
        db->transaction([&](soci::session& sql) {
          for (int i = 0; i < kBatch; ++i) {
            bus.publish(sql, "bench.burst", 1, kPayload);
          }
        });
        published += kBatch;
      }
      double publishing = secondsSince(start);
      bool drained = waitFor(received, published, std::max(20.0, seconds * 4));
      burstDelivered = received.load();
      burstDrained = drained;
      bus.stop();
      double elapsed =
          std::chrono::duration<double>(Clock::time_point(Clock::duration(lastReceipt.load())) - start).count();
      burstRate = static_cast<double>(received.load()) / elapsed;
      std::cerr << "events_bench: burst published " << published << " in " << publishing << " s; delivered "
                << received.load() << (drained ? " (all)" : " (not all: drain timed out)") << " by " << elapsed
                << " s\n";
      db->transaction([](soci::session& sql) {
        sql << "DELETE FROM event_deliveries";
        sql << "DELETE FROM event_outbox";
      });
    }

    ruche::events::EventBus bus(*db);
    std::atomic<long long> received{0};
    bus.subscribe("bench", "bench.*", [&](const ruche::events::Delivery&) { ++received; });
    bus.start();
    std::cerr << "events_bench: sustained " << rate << " events/s for " << seconds << " s\n";
    long long sustained = 0;
    auto interval = std::chrono::nanoseconds(1'000'000'000LL / std::max(1, rate));
    auto start = Clock::now();
    auto next = start;
    while (secondsSince(start) < seconds) {
      db->transaction([&](soci::session& sql) { bus.publish(sql, "bench.sustained", 1, kPayload); });
      ++sustained;
      next += interval;
      std::this_thread::sleep_until(next);
    }
    double sustainedSeconds = secondsSince(start);
    bool sustainedDrained = waitFor(received, sustained, std::max(30.0, seconds * 6));
    bus.stop();

    std::vector<long long> ages;
    {
      Database::Session session(*db);
      long long age = 0;
      soci::statement st = (session->prepare << "SELECT d.delivered_at - e.created_at FROM event_deliveries d "
                                                "JOIN event_outbox e ON e.id = d.event_id "
                                                "WHERE d.status = 'delivered'",
                            soci::into(age));
      st.execute();
      while (st.fetch()) {
        ages.push_back(age);
      }
    }
    std::printf(
        "{\"plain_inserts_per_s\": %.1f, \"events_per_s\": %.1f, \"burst_published\": %lld, "
        "\"burst_delivered\": %lld, \"burst_drained\": %s, "
        "\"sustained_rate\": %.1f, \"sustained_events\": %lld, "
        "\"sustained_drained\": %s, \"age_p50_ms\": %lld, \"age_p99_ms\": %lld, \"age_max_ms\": %lld}\n",
        plainRate, burstRate, published, burstDelivered, burstDrained ? "true" : "false",
        static_cast<double>(sustained) / sustainedSeconds, sustained, sustainedDrained ? "true" : "false",
        percentile(ages, 0.5), percentile(ages, 0.99), percentile(ages, 1.0));
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "events_bench: " << error.what() << "\n";
    return 1;
  }
}
