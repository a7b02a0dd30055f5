#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kernel/domain/Applications.h"
#include "kernel/domain/Hours.h"
#include "kernel/events/EventBus.h"
#include "kernel/events/TopicPattern.h"
#include "kernel/storage/Database.h"
#include "kernel/storage/Migrator.h"
#include "tests/kernel/TestServer.h"

using namespace ruche;
using namespace ruche::testing;

namespace {

const char* const kPassword = "correct horse battery";

/// A database holding only the events module's tables.
struct EventsDb {
  explicit EventsDb(Backend backend) : db(storage::Database::open(freshDatabaseUrl(backend, dir.path()), 3)) {
    storage::Migrator(*db).migrate({events::EventBus::migrations()});
  }
  TempDir dir;
  std::unique_ptr<storage::Database> db;
};

long long scalar(storage::Database& db, const std::string& sql) {
  storage::Database::Session session(db);
  long long n = 0;
  *session << sql, soci::into(n);
  return n;
}

/// Every delivery a test subscriber received, by subscriber name.
struct Inbox {
  events::Subscriber into(const std::string& name) {
    return [this, name](const events::Delivery& delivery) {
      std::lock_guard<std::mutex> lock(mutex);
      received[name].push_back(delivery);
    };
  }
  std::size_t count(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex);
    return received[name].size();
  }
  std::mutex mutex;
  std::map<std::string, std::vector<events::Delivery>> received;
};

int drain(events::EventBus& bus) {
  int total = 0;
  for (int n = bus.dispatchOnce(); n > 0; n = bus.dispatchOnce()) {
    total += n;
  }
  return total;
}

}  // namespace

TEST_CASE("topic patterns match the exact topic, a dotted prefix, or everything") {
  CHECK(events::topicMatches("*", "mission.published"));
  CHECK(events::topicMatches("mission.*", "mission.published"));
  CHECK(events::topicMatches("mission.*", "mission.x.y"));
  CHECK_FALSE(events::topicMatches("mission.*", "mission"));
  CHECK_FALSE(events::topicMatches("mission.*", "missions.published"));
  CHECK(events::topicMatches("mission.published", "mission.published"));
  CHECK_FALSE(events::topicMatches("mission.published", "mission.published.late"));
  CHECK(events::validTopicPattern("hours.*"));
  CHECK_FALSE(events::validTopicPattern(".*"));
  CHECK_FALSE(events::validTopicPattern("a b"));
}

TEST_CASE("an event published in a transaction that rolls back leaves no event and no delivery") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      EventsDb e(backend);
      events::EventBus bus(*e.db);
      Inbox inbox;
      bus.subscribe("listener", "x.*", inbox.into("listener"));
      CHECK_THROWS_AS(e.db->transaction([&](soci::session& sql) {
        CHECK(bus.publish(sql, "x.created", 0, "{\"a\": 1}") > 0);
        throw std::runtime_error("the change fails after publishing");
      }),
                      std::runtime_error);
      CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_outbox") == 0);
      CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_deliveries") == 0);
      CHECK(drain(bus) == 0);
      CHECK(inbox.count("listener") == 0);
      // Publishing outside the rules is refused before anything is written.
      e.db->transaction([&](soci::session& sql) {
        CHECK_THROWS_AS(bus.publish(sql, "", 0, "{}"), std::invalid_argument);
        CHECK_THROWS_AS(bus.publish(sql, "x.created", 0, "not json"), std::invalid_argument);
      });
      CHECK_THROWS_AS(bus.subscribe("listener", "y.*", inbox.into("again")), std::invalid_argument);
    }
  }
}

TEST_CASE("a committed event is delivered exactly once to each matching subscriber and not to others") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      EventsDb e(backend);
      events::EventBus bus(*e.db);
      Inbox inbox;
      for (const auto& [name, pattern] : std::vector<std::pair<std::string, std::string>>{
               {"prefix", "x.*"}, {"exact", "x.created"}, {"all", "*"}, {"other", "y.*"}, {"sibling", "x.deleted"}}) {
        bus.subscribe(name, pattern, inbox.into(name));
      }
      long long id = 0;
      e.db->transaction([&](soci::session& sql) { id = bus.publish(sql, "x.created", 7, "{\"thing\": \"é\"}"); });
      CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_deliveries") == 3);
      CHECK(drain(bus) == 3);
      CHECK(drain(bus) == 0);
      CHECK(inbox.count("prefix") == 1);
      CHECK(inbox.count("exact") == 1);
      CHECK(inbox.count("all") == 1);
      CHECK(inbox.count("other") == 0);
      CHECK(inbox.count("sibling") == 0);
      const events::Delivery& d = inbox.received["exact"].front();
      CHECK(d.event.id == id);
      CHECK(d.event.topic == "x.created");
      CHECK(d.event.associationId == 7);
      CHECK(d.event.payload == "{\"thing\": \"é\"}");
      CHECK(d.event.createdAt > 1'600'000'000'000LL);  // milliseconds
      CHECK(d.idempotencyKey == std::to_string(id) + ":exact");
      CHECK(d.attempt == 1);
      CHECK(scalar(*e.db,
                   "SELECT COUNT(*) FROM event_deliveries WHERE status = 'delivered' "
                   "AND delivered_at IS NOT NULL AND claim_token IS NULL") == 3);
    }
  }
}

TEST_CASE("one claimed batch is marked delivered together, and only the delivery whose handler threw is retried") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      EventsDb e(backend);
      events::BusOptions options;
      options.firstRetry = std::chrono::hours(1);  // the failed one stays pending in this test
      events::EventBus bus(*e.db, options);
      std::vector<std::string> seen;
      bus.subscribe("picky", "order.*", [&](const events::Delivery& d) {
        seen.push_back(d.event.payload);
        // Marked one by one, the deliveries would get several delivered_at.
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
        if (d.event.payload == "{\"order\": 3}") {
          throw std::runtime_error("order 3 refused");
        }
      });
      e.db->transaction([&](soci::session& sql) {
        for (int order = 1; order <= 5; ++order) {
          bus.publish(sql, "order.paid", 3, "{\"order\": " + std::to_string(order) + "}");
        }
      });
      CHECK(bus.dispatchOnce() == 5);
      CHECK(seen.size() == 5);
      CHECK(scalar(*e.db,
                   "SELECT COUNT(*) FROM event_deliveries WHERE status = 'delivered' AND claim_token IS NULL "
                   "AND delivered_at IS NOT NULL") == 4);
      CHECK(scalar(*e.db,
                   "SELECT COUNT(*) FROM event_deliveries d JOIN event_outbox e ON e.id = d.event_id "
                   "WHERE d.status = 'pending' AND d.claim_token IS NULL AND d.attempts = 1 "
                   "AND d.last_error = 'order 3 refused' AND e.payload = '{\"order\": 3}'") == 1);
      CHECK(scalar(*e.db, "SELECT COUNT(DISTINCT delivered_at) FROM event_deliveries WHERE status = 'delivered'") ==
            1);                        // marked together
      CHECK(bus.dispatchOnce() == 0);  // its retry is an hour away; the four are not delivered again
      CHECK(seen.size() == 5);
    }
  }
}

TEST_CASE("a claim skips what lies behind its floor, and late-committed deliveries there come with whole scans") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      EventsDb e(backend);
      events::BusOptions options;
      options.fullScanEvery = std::chrono::seconds(3);
      options.batchSize = 2;
      events::EventBus bus(*e.db, options);
      Inbox inbox;
      bus.subscribe("reader", "doc.*", inbox.into("reader"));
      e.db->transaction([&](soci::session& sql) { bus.publish(sql, "doc.first", 1, "{}"); });
      auto firstScan = std::chrono::steady_clock::now();
      CHECK(bus.dispatchOnce() == 1);  // the first claim scans from the start, then raises the floor
      // A publisher whose transaction ran a minute: its three deliveries are
      // due long before the floor when they become visible.
      e.db->transaction([&](soci::session& sql) {
        for (int i = 0; i < 3; ++i) {
          long long id = bus.publish(sql, "doc.late", 1, "{}");
          sql << "UPDATE event_deliveries SET next_attempt_at = next_attempt_at - 60000 WHERE event_id = :id",
              soci::use(id);
        }
      });
      if (std::chrono::steady_clock::now() - firstScan < std::chrono::milliseconds(2500)) {
        CHECK(bus.dispatchOnce() == 0);  // behind the floor: not walked
        CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_deliveries WHERE status = 'pending'") == 3);
      }
      // The whole scan, once due, finds a full batch of them...
      int found = 0;
      while (found == 0 && std::chrono::steady_clock::now() < firstScan + std::chrono::seconds(10)) {
        found = bus.dispatchOnce();
        if (found == 0) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }
      CHECK(found == 2);
      CHECK(std::chrono::steady_clock::now() >= firstScan + options.fullScanEvery - std::chrono::milliseconds(50));
      // ...so the next claim scans from the start again, at once.
      CHECK(bus.dispatchOnce() == 1);
      REQUIRE(inbox.count("reader") == 4);
      CHECK(inbox.received["reader"].back().event.topic == "doc.late");
      CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_deliveries WHERE status = 'pending'") == 0);
    }
  }
}

TEST_CASE("publishMany of a single event writes it and its deliveries") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      EventsDb e(backend);
      events::EventBus bus(*e.db);
      Inbox inbox;
      bus.subscribe("a", "mail.*", inbox.into("a"));
      e.db->transaction([&](soci::session& sql) { bus.publishMany(sql, "mail.queued", 4, {"{\"only\": 1}"}); });
      CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_outbox WHERE topic = 'mail.queued'") == 1);
      CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_deliveries d JOIN event_outbox o ON o.id = d.event_id") == 1);
      drain(bus);
      CHECK(inbox.count("a") == 1);
    }
  }
}

TEST_CASE("publishMany writes the same events and deliveries as publish, in chunks, and nothing on rollback") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      EventsDb e(backend);
      events::EventBus bus(*e.db);
      Inbox inbox;
      bus.subscribe("a", "mail.*", inbox.into("a"));
      bus.subscribe("b", "*", inbox.into("b"));
      bus.subscribe("c", "other.*", inbox.into("c"));
      std::vector<std::string> payloads;
      std::size_t n = events::EventBus::kPublishChunk + 7;  // two chunks
      for (std::size_t i = 0; i < n; ++i) {
        payloads.push_back("{\"i\": " + std::to_string(i) + "}");
      }
      CHECK_THROWS_AS(e.db->transaction([&](soci::session& sql) {
        bus.publishMany(sql, "mail.queued", 4, payloads);
        throw std::runtime_error("the caller fails after publishing");
      }),
                      std::runtime_error);
      CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_outbox") == 0);
      CHECK_THROWS_AS(e.db->transaction([&](soci::session& sql) {
        bus.publishMany(sql, "mail.queued", 4, {"{\"fine\": 1}", "not json"});
      }),
                      std::invalid_argument);
      CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_outbox") == 0);

      e.db->transaction([&](soci::session& sql) { bus.publishMany(sql, "mail.queued", 4, payloads); });
      CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_outbox WHERE topic = 'mail.queued' AND association_id = 4") ==
            static_cast<long long>(n));
      CHECK(scalar(*e.db,
                   "SELECT COUNT(*) FROM event_deliveries WHERE status = 'pending' AND attempts = 0 "
                   "AND locked_until = 0") == static_cast<long long>(2 * n));
      drain(bus);
      CHECK(inbox.count("a") == n);
      CHECK(inbox.count("b") == n);
      CHECK(inbox.count("c") == 0);
      std::set<std::string> got;
      for (const auto& d : inbox.received["a"]) {
        got.insert(d.event.payload);
      }
      CHECK(got == std::set<std::string>(payloads.begin(), payloads.end()));
    }
  }
}

TEST_CASE("a failing subscriber is retried with growing delays, dead-lettered with its last error, and replayed") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      EventsDb e(backend);
      events::BusOptions options;
      options.maxAttempts = 4;
      options.firstRetry = std::chrono::milliseconds(40);
      events::EventBus bus(*e.db, options);
      std::atomic<bool> failing{true};
      std::vector<std::chrono::steady_clock::time_point> tries;
      std::vector<int> attempts;
      Inbox inbox;
      bus.subscribe("flaky", "order.*", [&](const events::Delivery& d) {
        tries.push_back(std::chrono::steady_clock::now());
        attempts.push_back(d.attempt);
        if (failing) {
          throw std::runtime_error("receiver down (try " + std::to_string(d.attempt) + ")");
        }
      });
      bus.subscribe("steady", "order.*", inbox.into("steady"));
      e.db->transaction([&](soci::session& sql) { bus.publish(sql, "order.paid", 3, "{\"order\": 1}"); });

      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (bus.deadLetters().empty() && std::chrono::steady_clock::now() < until) {
        bus.dispatchOnce();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      REQUIRE(tries.size() == 4);
      CHECK(attempts == std::vector<int>{1, 2, 3, 4});
      auto gap = [&](std::size_t i) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(tries[i] - tries[i - 1]).count();
      };
      // Due times are stored in whole milliseconds: a retry may come up to 1 ms early.
      CHECK(gap(1) >= 40 - 1);
      CHECK(gap(2) >= 80 - 1);
      CHECK(gap(3) >= 160 - 1);
      CHECK(inbox.count("steady") == 1);  // the other subscriber is not held back

      auto dead = bus.deadLetters();
      REQUIRE(dead.size() == 1);
      CHECK(dead[0].subscriber == "flaky");
      CHECK(dead[0].attempts == 4);
      CHECK(dead[0].lastError == "receiver down (try 4)");
      CHECK(dead[0].event.topic == "order.paid");
      CHECK(dead[0].diedAt > 0);
      CHECK(bus.deadLetters(3).size() == 1);
      CHECK(bus.deadLetters(4).empty());
      CHECK(bus.dispatchOnce() == 0);  // dead stays dead

      failing = false;
      CHECK_FALSE(bus.replay(dead[0].deliveryId + 1000));
      CHECK(bus.replay(dead[0].deliveryId));
      CHECK_FALSE(bus.replay(dead[0].deliveryId));  // no longer dead
      CHECK(bus.deadLetters().empty());
      CHECK(drain(bus) == 1);
      CHECK(tries.size() == 5);
      CHECK(attempts.back() == 1);  // attempts start over
      CHECK(scalar(*e.db, "SELECT COUNT(*) FROM event_deliveries WHERE status = 'delivered'") == 2);
    }
  }
}

TEST_CASE("the dispatcher threads deliver after commit and survive a throwing subscriber") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      EventsDb e(backend);
      events::BusOptions options;
      options.pollInterval = std::chrono::milliseconds(10);
      options.firstRetry = std::chrono::milliseconds(10);
      options.dispatcherThreads = 2;
      events::EventBus bus(*e.db, options);
      Inbox inbox;
      bus.subscribe("thrower", "*", [](const events::Delivery&) { throw 42; });
      bus.subscribe("listener", "*", inbox.into("listener"));
      bus.start();
      e.db->transaction([&](soci::session& sql) {
        for (int i = 0; i < 20; ++i) {
          bus.publish(sql, "tick", 0, "{}");
        }
      });
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (inbox.count("listener") < 20 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      bus.stop();
      CHECK(inbox.count("listener") == 20);
      CHECK(scalar(*e.db,
                   "SELECT COUNT(*) FROM event_deliveries WHERE subscriber = 'thrower' "
                   "AND last_error = 'unknown exception' AND attempts >= 1") == 20);
    }
  }
}

TEST_CASE("an idle dispatcher wakes up when a transaction that published commits, not at its next poll") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      EventsDb e(backend);
      events::BusOptions options;
      options.pollInterval = std::chrono::seconds(30);  // a poll would come far too late
      events::EventBus bus(*e.db, options);
      Inbox inbox;
      bus.subscribe("listener", "*", inbox.into("listener"));
      bus.start();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // it found nothing and sleeps
      for (int round = 0; round < 3; ++round) {
        auto published = std::chrono::steady_clock::now();
        e.db->transaction([&](soci::session& sql) {
          bus.publish(sql, "tick", 0, "{}");
          // Still uncommitted: the dispatcher must not have been woken for nothing yet.
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          CHECK(inbox.count("listener") == static_cast<std::size_t>(round));
        });
        auto until = published + std::chrono::seconds(5);
        while (inbox.count("listener") < static_cast<std::size_t>(round + 1) &&
               std::chrono::steady_clock::now() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - published);
        MESSAGE("delivered " << took.count() << " ms after publish (50 ms of which before commit)");
        CHECK(inbox.count("listener") == static_cast<std::size_t>(round + 1));
        CHECK(took < std::chrono::seconds(5));
      }
      // A rolled-back publish delivers nothing.
      CHECK_THROWS(e.db->transaction([&](soci::session& sql) {
        bus.publish(sql, "tick", 0, "{}");
        throw std::runtime_error("changed my mind");
      }));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      CHECK(inbox.count("listener") == 3);
      bus.stop();
    }
  }
}

TEST_CASE("an after-commit action runs once the outermost transaction commits, never after a rollback") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      EventsDb e(backend);
      std::vector<std::string> ran;
      e.db->transaction([&](soci::session& sql) {
        e.db->afterCommit([&] { ran.push_back("outer"); });
        e.db->transaction([&](soci::session&) { e.db->afterCommit([&] { ran.push_back("inner"); }); });
        CHECK(ran.empty());  // the inner transaction joined the outer one: nothing committed yet
        long long n = 0;
        sql << "SELECT COUNT(*) FROM event_outbox", soci::into(n);
      });
      CHECK(ran == std::vector<std::string>{"outer", "inner"});
      ran.clear();
      CHECK_THROWS(e.db->transaction([&](soci::session&) {
        e.db->afterCommit([&] { ran.push_back("rolled back"); });
        throw std::runtime_error("no");
      }));
      e.db->transaction([&](soci::session&) {});
      CHECK(ran.empty());
      e.db->afterCommit([&] { ran.push_back("now"); });  // no transaction open: at once
      CHECK(ran == std::vector<std::string>{"now"});
    }
  }
}

TEST_CASE("a federation admin sees dead letters per association and replays one over HTTP") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long abeilles = server.createAssociation("abeilles", "Les Abeilles");
      server.createAssociation("frelons", "Les Frelons");
      server.createAccount("admin@example.org", kPassword, "Ada Admin", true);
      server.createAccount("vol@example.org", kPassword, "Véra Bénévole");

      // A bus of the test's own, sharing the server's database: its
      // subscriber fails once and is dead at once.
      events::BusOptions options;
      options.maxAttempts = 1;
      events::EventBus bus(server.services().db, options);
      bool failing = true;
      int delivered = 0;
      bus.subscribe("crm-sync", "member.*", [&](const events::Delivery&) {
        if (failing) {
          throw std::runtime_error("CRM <answered> 503");
        }
        ++delivered;
      });
      server.services().db.transaction(
          [&](soci::session& sql) { bus.publish(sql, "member.joined", abeilles, "{\"who\": 1}"); });
      CHECK(bus.dispatchOnce() == 1);
      auto dead = bus.deadLetters();
      REQUIRE(dead.size() == 1);
      std::string id = std::to_string(dead[0].deliveryId);

      HttpClient volunteer = server.signedIn("vol@example.org", kPassword);
      CHECK(volunteer.get("/admin/events/dead").status == 403);

      HttpClient admin = server.signedIn("admin@example.org", kPassword);
      CHECK(admin.get("/admin").body.find("/admin/events/dead") != std::string::npos);
      auto all = admin.get("/admin/events/dead");
      REQUIRE(all.status == 200);
      CHECK(all.body.find("crm-sync") != std::string::npos);
      CHECK(all.body.find("member.joined") != std::string::npos);
      CHECK(all.body.find("CRM &lt;answered&gt; 503") != std::string::npos);  // escaped
      CHECK(all.body.find("Les Abeilles") != std::string::npos);
      auto abeillesOnly = admin.get("/admin/events/dead?association=abeilles");
      CHECK(abeillesOnly.status == 200);
      CHECK(abeillesOnly.body.find("crm-sync") != std::string::npos);
      auto frelonsOnly = admin.get("/admin/events/dead?association=frelons");
      CHECK(frelonsOnly.status == 200);
      CHECK(frelonsOnly.body.find("crm-sync") == std::string::npos);
      CHECK(admin.get("/admin/events/dead?association=nobody").status == 422);

      std::string replay = "/admin/events/dead/" + id + "/replay";
      CHECK(admin.postForm(replay, {}).status == 403);  // no CSRF token
      CHECK(admin.postFormWithCsrf("/admin/events/dead/999999/replay", "/admin/events/dead", {}).status == 404);
      CHECK(volunteer.postFormWithCsrf(replay, "/me", {}).status == 403);
      auto replayed =
          admin.postFormWithCsrf(replay, "/admin/events/dead?association=abeilles", {{"association", "abeilles"}});
      CHECK(replayed.status == 303);
      CHECK(replayed.header("location") == "/admin/events/dead?replayed=1&association=abeilles");
      auto after = admin.get("/admin/events/dead?replayed=1&association=abeilles");
      CHECK(after.body.find("role=\"status\"") != std::string::npos);
      CHECK(after.body.find("crm-sync") == std::string::npos);

      failing = false;
      CHECK(bus.dispatchOnce() == 1);
      CHECK(delivered == 1);
      CHECK(bus.deadLetters().empty());
    }
  }
}

TEST_CASE("applying through HTTP writes application.created, and each change publishes in its transaction") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long associationId = server.createAssociation("abeilles", "Les Abeilles");
      long long coordinatorId = server.createAccount("coord@example.org", kPassword, "Camille Coordinatrice");
      long long volunteerId = server.createAccount("vol@example.org", kPassword, "Véra Bénévole");
      server.grantRole(coordinatorId, associationId, "coordinator");
      HttpClient coordinator = server.signedIn("coord@example.org", kPassword);
      auto created = coordinator.postFormWithCsrf("/a/abeilles/manage/missions/new", "/a/abeilles/manage/missions/new",
                                                  {{"title", "Accueil du rucher"},
                                                   {"description", "Accueillir les visiteurs du rucher."},
                                                   {"kind", "regular"},
                                                   {"mode", "remote"},
                                                   {"places_available", "2"},
                                                   {"publish", "1"}});
      REQUIRE(created.status == 303);
      auto& db = server.services().db;
      long long missionId = scalar(db, "SELECT MAX(id) FROM missions");
      REQUIRE(scalar(db, "SELECT COUNT(*) FROM missions WHERE status = 'published'") == 1);
      CHECK(scalar(db, "SELECT COUNT(*) FROM event_outbox WHERE topic = 'mission.published'") == 1);

      HttpClient volunteer = server.signedIn("vol@example.org", kPassword);
      std::string page = "/missions/" + std::to_string(missionId) + "/apply";
      REQUIRE(volunteer.postFormWithCsrf(page, page, {{"motivation", "J'aime les abeilles"}}).status == 303);
      long long applicationId = scalar(db, "SELECT MAX(id) FROM applications");
      {
        storage::Database::Session session(db);
        long long eventAssociation = 0;
        std::string payload;
        *session << "SELECT association_id, payload FROM event_outbox WHERE topic = 'application.created'",
            soci::into(eventAssociation), soci::into(payload);
        REQUIRE(session->got_data());
        CHECK(eventAssociation == associationId);
        CHECK(payload.find("\"application_id\":" + std::to_string(applicationId)) != std::string::npos);
        CHECK(payload.find("\"account_id\":" + std::to_string(volunteerId)) != std::string::npos);
      }

      // A transition that fails (409) publishes nothing; one that succeeds
      // publishes from, to and actor.
      domain::Applications applications(db, &server.services().events);
      CHECK_THROWS(applications.transition(applicationId, associationId, coordinatorId, "training_done", 0, ""));
      applications.transition(applicationId, associationId, coordinatorId, "interview_scheduled", 0, "");
      {
        storage::Database::Session session(db);
        std::string payload;
        *session << "SELECT payload FROM event_outbox WHERE topic = 'application.status_changed'", soci::into(payload);
        CHECK(payload.find("\"from\":\"applied\"") != std::string::npos);
        CHECK(payload.find("\"to\":\"interview_scheduled\"") != std::string::npos);
        CHECK(payload.find("\"actor_account_id\":" + std::to_string(coordinatorId)) != std::string::npos);
      }
      CHECK(scalar(db, "SELECT COUNT(*) FROM event_outbox WHERE topic = 'application.status_changed'") == 1);
    }
  }
}
