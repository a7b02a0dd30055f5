#include <Poco/Net/ServerSocket.h>
#include <doctest/doctest.h>

#include <string>

#include "kernel/webhooks/WebhookSender.h"
#include "kernel/webhooks/WebhookSigner.h"
#include "kernel/webhooks/WebhookVerifier.h"
#include "kernel/webhooks/Webhooks.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;
using ruche::webhooks::Verdict;
using ruche::webhooks::WebhookSigner;
using ruche::webhooks::WebhookVerifier;

namespace {

const std::string kPassword = "correct horse battery";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The value of the read-only field id="secret" of the creation page.
std::string secretFrom(const std::string& html) {
  auto at = html.find("id=\"secret\"");
  REQUIRE(at != std::string::npos);
  auto start = html.find("value=\"", at);
  REQUIRE(start != std::string::npos);
  start += 7;
  return html.substr(start, html.find('"', start) - start);
}

long long countRows(TestServer& server, const std::string& table) {
  ruche::storage::Database::Session s(server.services().db);
  long long n = 0;
  *s << "SELECT COUNT(*) FROM " + table, soci::into(n);
  return n;
}

/// An association "alpha" with an admin signed in, and a second association.
struct Setup {
  long long alpha = 0;
  long long beta = 0;
  long long adminId = 0;
  long long volunteerId = 0;
};

Setup setUp(TestServer& server) {
  Setup s;
  s.alpha = server.createAssociation("alpha", "Alpha");
  s.beta = server.createAssociation("beta", "Beta");
  s.adminId = server.createAccount("admin@example.org", kPassword, "Ada Admin");
  server.grantRole(s.adminId, s.alpha, "admin");
  s.volunteerId = server.createAccount("vol@example.org", kPassword, "Victor Vol");
  server.grantRole(s.volunteerId, s.alpha, "coordinator");
  return s;
}

}  // namespace

TEST_CASE("a signature matches the Standard Webhooks specification's published example") {
  WebhookSigner signer("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  CHECK(signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})") ==
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST_CASE("a new secret is whsec_ and base64 of 24 bytes, different every time") {
  std::string a = WebhookSigner::newSecret();
  std::string b = WebhookSigner::newSecret();
  CHECK(a.rfind("whsec_", 0) == 0);
  CHECK(ruche::webhooks::base64Decode(a.substr(6)).size() == 24);
  CHECK(a != b);
  CHECK_THROWS_AS(WebhookSigner("no-prefix"), std::invalid_argument);
  CHECK_THROWS_AS(WebhookSigner("whsec_***"), std::invalid_argument);
}

TEST_CASE("the verifier accepts what the signer signed and refuses any tampering") {
  std::string secret = WebhookSigner::newSecret();
  WebhookSigner signer(secret);
  WebhookVerifier verifier(secret);
  long long now = 1700000000;
  std::string body = R"({"type":"mission.published","data":{"id":7}})";
  auto h = signer.headers("msg_1", now, body);

  CHECK(verifier.verify(h.id, h.timestamp, h.signature, body, now) == Verdict::Valid);
  CHECK(verifier.verify(h.id, h.timestamp, h.signature, body, now + 299) == Verdict::Valid);
  SUBCASE("a changed body") {
    CHECK(verifier.verify(h.id, h.timestamp, h.signature, body + " ", now) == Verdict::BadSignature);
  }
  SUBCASE("another message id") {
    CHECK(verifier.verify("msg_2", h.timestamp, h.signature, body, now) == Verdict::BadSignature);
  }
  SUBCASE("a wrong secret") {
    WebhookVerifier other(WebhookSigner::newSecret());
    CHECK(other.verify(h.id, h.timestamp, h.signature, body, now) == Verdict::BadSignature);
  }
  SUBCASE("an old timestamp, even correctly signed") {
    auto old = signer.headers("msg_1", now - 301, body);
    CHECK(verifier.verify(old.id, old.timestamp, old.signature, body, now) == Verdict::StaleTimestamp);
  }
  SUBCASE("a timestamp in the future") {
    auto future = signer.headers("msg_1", now + 301, body);
    CHECK(verifier.verify(future.id, future.timestamp, future.signature, body, now) == Verdict::StaleTimestamp);
  }
  SUBCASE("a timestamp that is not a number") {
    CHECK(verifier.verify(h.id, "12a", h.signature, body, now) == Verdict::Malformed);
    CHECK(verifier.verify(h.id, "", h.signature, body, now) == Verdict::Malformed);
  }
  SUBCASE("several signatures, one of them right (secret rotation)") {
    std::string header = "v1,bm90IGl0 v2,whatever " + h.signature;
    CHECK(verifier.verify(h.id, h.timestamp, header, body, now) == Verdict::Valid);
    CHECK(verifier.verify(h.id, h.timestamp, "v1,bm90IGl0 v1,YWxzbyBub3Q=", body, now) == Verdict::BadSignature);
  }
  SUBCASE("the right signature under another version prefix") {
    CHECK(verifier.verify(h.id, h.timestamp, "v2," + h.signature.substr(3), body, now) == Verdict::BadSignature);
  }
}

TEST_CASE("an association admin creates, lists and deletes a webhook whose secret is shown once") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      Setup setup = setUp(server);
      auto http = server.signedIn("admin@example.org", kPassword);

      auto empty = http.get("/a/alpha/manage/webhooks");
      REQUIRE(empty.status == 200);
      CHECK(contains(empty.body, "name=\"topics\""));
      CHECK(contains(empty.body, "value=\"hours.validated\""));

      auto created = http.postFormWithCsrf("/a/alpha/manage/webhooks", "/a/alpha/manage/webhooks",
                                           {{"url", "https://hooks.example.org/ruche"},
                                            {"topics", "mission.published"},
                                            {"topics", "application.created"}});
      REQUIRE(created.status == 201);
      CHECK(created.header("Cache-Control") == "no-store");
      std::string secret = secretFrom(created.body);
      CHECK(secret.rfind("whsec_", 0) == 0);
      CHECK_NOTHROW(WebhookSigner{secret});

      auto list = http.get("/a/alpha/manage/webhooks");
      CHECK(contains(list.body, "https://hooks.example.org/ruche"));
      CHECK_FALSE(contains(list.body, secret));
      auto hooks = ruche::webhooks::Webhooks(server.services().db).list(setup.alpha);
      REQUIRE(hooks.size() == 1);
      CHECK(hooks[0].topics == std::vector<std::string>{"application.created", "mission.published"});
      std::string id = std::to_string(hooks[0].id);

      // Not from another association's pages, not without the CSRF token.
      server.grantRole(setup.adminId, setup.beta, "admin");
      auto foreign = http.postFormWithCsrf("/a/beta/manage/webhooks/" + id + "/delete", "/a/beta/manage/webhooks", {});
      CHECK(foreign.status == 404);
      auto noCsrf = http.postForm("/a/alpha/manage/webhooks/" + id + "/delete", {});
      CHECK(noCsrf.status == 403);
      CHECK(countRows(server, "webhooks") == 1);

      auto deleted =
          http.postFormWithCsrf("/a/alpha/manage/webhooks/" + id + "/delete", "/a/alpha/manage/webhooks", {});
      REQUIRE(deleted.status == 303);
      auto after = http.followRedirect(deleted);
      CHECK(contains(after.body, "role=\"status\""));
      CHECK_FALSE(contains(after.body, "https://hooks.example.org/ruche"));
      CHECK(countRows(server, "webhooks") == 0);
    }
  }
}

TEST_CASE("a webhook form with a bad address or no event is shown again with its errors") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      setUp(server);
      auto http = server.signedIn("admin@example.org", kPassword);
      auto bad = http.postFormWithCsrf("/a/alpha/manage/webhooks", "/a/alpha/manage/webhooks",
                                       {{"url", "ftp://example.org/x"}, {"topics", "payment.received"}});
      CHECK(bad.status == 422);
      CHECK(contains(bad.body, "id=\"url-error\""));
      CHECK(contains(bad.body, "id=\"topics-error\""));
      CHECK(contains(bad.body, "value=\"ftp://example.org/x\""));
      auto tooLong =
          http.postFormWithCsrf("/a/alpha/manage/webhooks", "/a/alpha/manage/webhooks",
                                {{"url", "https://example.org/" + std::string(490, 'a')}, {"topics", "hours.logged"}});
      CHECK(tooLong.status == 422);
      auto noTopic = http.postFormWithCsrf("/a/alpha/manage/webhooks", "/a/alpha/manage/webhooks",
                                           {{"url", "https://example.org/hook"}});
      CHECK(noTopic.status == 422);
      CHECK(countRows(server, "webhooks") == 0);
    }
  }
}

TEST_CASE("only an association admin reaches the webhook pages") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      setUp(server);
      auto coordinator = server.signedIn("vol@example.org", kPassword);
      CHECK(coordinator.get("/a/alpha/manage/webhooks").status == 403);
      auto anonymous = server.client();
      auto denied = anonymous.get("/a/alpha/manage/webhooks");
      CHECK((denied.status == 303 || denied.status == 401 || denied.status == 403));
      auto admin = server.signedIn("admin@example.org", kPassword);
      CHECK(admin.get("/a/beta/manage/webhooks").status == 403);
    }
  }
}

TEST_CASE("an event queues one delivery per matching active webhook, once even when delivered twice") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      Setup setup = setUp(server);
      ruche::webhooks::Webhooks hooks(server.services().db);
      hooks.create(setup.alpha, "https://a.example.org/1", {"mission.published"});
      hooks.create(setup.alpha, "https://a.example.org/2", {"hours.logged", "mission.published"});
      hooks.create(setup.alpha, "https://a.example.org/3", {"hours.logged"});
      hooks.create(setup.beta, "https://b.example.org/1", {"mission.published"});

      ruche::events::Event event;
      event.id = 41;
      event.topic = "mission.published";
      event.associationId = setup.alpha;
      event.payload = R"({"mission_id":3})";
      int first = 0;
      int second = 0;
      server.services().db.transaction([&](soci::session& sql) { first = hooks.enqueue(sql, event); });
      server.services().db.transaction([&](soci::session& sql) { second = hooks.enqueue(sql, event); });
      CHECK(first == 2);
      CHECK(second == 0);
      CHECK(countRows(server, "webhook_deliveries") == 2);

      event.associationId = 0;  // federation-wide: no association webhook
      event.id = 42;
      server.services().db.transaction([&](soci::session& sql) { CHECK(hooks.enqueue(sql, event) == 0); });
    }
  }
}

TEST_CASE("a delivery nobody answers is retried with a doubling delay, then given up") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      Setup setup = setUp(server);
      int closedPort = 0;
      {
        Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
        closedPort = probe.address().port();
      }
      // This test drives its own sender and clock: the app's sender must not
      // take the delivery first.
      server.app().webhookSender().stop();
      ruche::webhooks::Webhooks hooks(server.services().db, ruche::webhooks::TargetPolicy{true});
      auto created =
          hooks.create(setup.alpha, "http://127.0.0.1:" + std::to_string(closedPort) + "/hook", {"hours.logged"});
      long long deliveryId = hooks.enqueueTest(setup.alpha, created.id);
      REQUIRE(deliveryId != 0);
      CHECK(hooks.enqueueTest(setup.beta, created.id) == 0);

      long long clock = ruche::storage::nowSeconds();
      ruche::webhooks::SenderOptions options;
      options.maxAttempts = 3;
      options.firstRetry = std::chrono::seconds(60);
      options.timeout = std::chrono::seconds(2);
      options.clock = [&clock] { return clock; };
      options.allowPrivate = true;
      ruche::webhooks::WebhookSender sender(server.services().db, options);

      CHECK(sender.dispatchOnce() == 1);
      auto once = hooks.delivery(deliveryId);
      REQUIRE(once);
      CHECK(once->status == "failed");
      CHECK(once->attempts == 1);
      CHECK(once->responseStatus == 0);
      CHECK_FALSE(once->lastError.empty());
      CHECK(once->nextAttemptAt >= clock + 60);
      CHECK(sender.dispatchOnce() == 0);  // not due yet

      clock = once->nextAttemptAt;
      CHECK(sender.dispatchOnce() == 1);
      auto twice = hooks.delivery(deliveryId);
      CHECK(twice->status == "failed");
      CHECK(twice->nextAttemptAt >= ruche::storage::nowSeconds() + 119);

      clock = twice->nextAttemptAt;
      CHECK(sender.dispatchOnce() == 1);
      auto dead = hooks.delivery(deliveryId);
      CHECK(dead->status == "dead");
      CHECK(dead->attempts == 3);
      clock += 100000;
      CHECK(sender.dispatchOnce() == 0);

      auto http = server.signedIn("admin@example.org", kPassword);
      auto page = http.get("/a/alpha/manage/webhooks");
      CHECK(contains(page.body, "webhook.test"));
      CHECK(contains(page.body, "delivery-dead"));
    }
  }
}

TEST_CASE("the webhooks subscriber gets deliveries for its kernel topics only, not for other events") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      Setup setup = setUp(server);
      auto webhookDeliveries = [&] {
        long long n = 0;
        ruche::storage::Database::Session s(server.services().db);
        *s << "SELECT COUNT(*) FROM event_deliveries WHERE subscriber = 'webhooks'", soci::into(n);
        return n;
      };
      long long before = webhookDeliveries();
      server.services().db.transaction([&](soci::session& sql) {
        server.services().events.publish(sql, "petitions.signature_created", setup.alpha, R"({"id":1})");
        server.services().events.publish(sql, "mission.updated", setup.alpha, R"({"id":1})");
      });
      CHECK(webhookDeliveries() == before);
      for (const auto& topic : ruche::webhooks::Webhooks::topics()) {
        server.services().db.transaction(
            [&](soci::session& sql) { server.services().events.publish(sql, topic, setup.alpha, R"({"id":1})"); });
      }
      CHECK(webhookDeliveries() == before + static_cast<long long>(ruche::webhooks::Webhooks::topics().size()));
    }
  }
}
