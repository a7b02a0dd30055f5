#include <Poco/JSON/Parser.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "kernel/webhooks/WebhookSender.h"
#include "kernel/webhooks/WebhookSigner.h"
#include "kernel/webhooks/Webhooks.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

const std::string kPassword = "correct horse battery";

/// tests/webhooks/receiver.mjs in a node process of its own, on a loopback port.
class Receiver {
 public:
  Receiver() {
    Poco::Process::Env env;
    env["RUCHE_NODE_MODULES"] = RUCHE_WEBHOOK_NODE_MODULES;
    handle_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(RUCHE_NODE_BINARY, {RUCHE_WEBHOOK_RECEIVER}, "", nullptr, &out_, nullptr, env));
    Poco::PipeInputStream in(out_);
    std::string word;
    in >> word >> port_;
    REQUIRE(word == "PORT");
    REQUIRE(port_ > 0);
  }
  ~Receiver() {
    Poco::Process::kill(*handle_);
    handle_->wait();
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void useSecret(const std::string& secret) {
    REQUIRE(client().request("PUT", "/secret", secret, "text/plain").status == 204);
  }
  /// The verdicts so far, oldest first.
  Poco::JSON::Array::Ptr results() {
    auto response = client().get("/results");
    REQUIRE(response.status == 200);
    return Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Array::Ptr>();
  }

 private:
  HttpClient client() const { return HttpClient("127.0.0.1", static_cast<std::uint16_t>(port_)); }
  Poco::Pipe out_;
  std::unique_ptr<Poco::ProcessHandle> handle_;
  int port_ = 0;
};

std::string secretFrom(const std::string& html) {
  auto at = html.find("id=\"secret\"");
  REQUIRE(at != std::string::npos);
  auto start = html.find("value=\"", at) + 7;
  return html.substr(start, html.find('"', start) - start);
}

}  // namespace

TEST_CASE(
    "a receiver verifies Ruche's deliveries with the standardwebhooks package, and refuses a wrong secret "
    "or an old timestamp") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      Receiver receiver;
      long long alpha = server.createAssociation("alpha", "Alpha");
      long long admin = server.createAccount("admin@example.org", kPassword, "Ada Admin");
      server.grantRole(admin, alpha, "admin");
      auto http = server.signedIn("admin@example.org", kPassword);

      auto created = http.postFormWithCsrf("/a/alpha/manage/webhooks", "/a/alpha/manage/webhooks",
                                           {{"url", receiver.url()}, {"topics", "mission.published"}});
      REQUIRE(created.status == 201);
      std::string secret = secretFrom(created.body);
      receiver.useSecret(secret);
      ruche::webhooks::Webhooks hooks(server.services().db);
      REQUIRE(hooks.list(alpha).size() == 1);
      long long webhookId = hooks.list(alpha)[0].id;

      server.app().webhookSender().stop();  // the test sends, on its own thread and clock
      // A kernel event through the bus (its "webhooks" subscriber queues the delivery)...
      server.services().db.transaction([&](soci::session& sql) {
        server.services().events.publish(sql, "mission.published", alpha,
                                         R"({"mission_id":12,"title":"Jardin, \"potager\" é"})");
      });
      for (int i = 0; i != 100 && hooks.recentDeliveries(alpha).empty(); ++i) {
        server.services().events.dispatchOnce();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      REQUIRE(hooks.recentDeliveries(alpha).size() == 1);
      // ...and the admin's test button.
      auto tested = http.postFormWithCsrf("/a/alpha/manage/webhooks/" + std::to_string(webhookId) + "/test",
                                          "/a/alpha/manage/webhooks", {});
      REQUIRE(tested.status == 303);

      ruche::webhooks::SenderOptions local;
      local.allowPrivate = true;  // the receiver listens on 127.0.0.1
      ruche::webhooks::WebhookSender sender(server.services().db, local);
      CHECK(sender.dispatchOnce() == 2);
      auto results = receiver.results();
      REQUIRE(results->size() == 2);
      CHECK(results->getObject(0)->getValue<bool>("ok"));
      CHECK(results->getObject(0)->getValue<std::string>("type") == "mission.published");
      CHECK(results->getObject(1)->getValue<bool>("ok"));
      CHECK(results->getObject(1)->getValue<std::string>("type") == "webhook.test");
      for (const auto& d : hooks.recentDeliveries(alpha)) {
        CHECK(d.status == "delivered");
        CHECK(d.responseStatus == 204);
        CHECK(d.attempts == 1);
      }

      SUBCASE("a wrong secret fails verification and the delivery is retried later") {
        receiver.useSecret(ruche::webhooks::WebhookSigner::newSecret());
        long long id = hooks.enqueueTest(alpha, webhookId);
        CHECK(sender.dispatchOnce() == 1);
        auto after = receiver.results();
        REQUIRE(after->size() == 3);
        CHECK_FALSE(after->getObject(2)->getValue<bool>("ok"));
        auto delivery = hooks.delivery(id);
        CHECK(delivery->status == "failed");
        CHECK(delivery->responseStatus == 400);
      }
      SUBCASE("a replayed delivery with an old timestamp fails verification") {
        ruche::webhooks::SenderOptions options;
        options.clock = [] { return ruche::storage::nowSeconds() - 600; };  // signed ten minutes ago
        options.allowPrivate = true;
        ruche::webhooks::WebhookSender replaying(server.services().db, options);
        long long id = hooks.enqueueTest(alpha, webhookId);
        server.services().db.transaction([&](soci::session& sql) {
          long long past = ruche::storage::nowSeconds() - 700;
          sql << "UPDATE webhook_deliveries SET next_attempt_at = :p WHERE id = :i", soci::use(past), soci::use(id);
        });
        CHECK(replaying.dispatchOnce() == 1);
        auto after = receiver.results();
        REQUIRE(after->size() == 3);
        CHECK_FALSE(after->getObject(2)->getValue<bool>("ok"));
        CHECK(hooks.delivery(id)->status == "failed");
      }
    }
  }
}
