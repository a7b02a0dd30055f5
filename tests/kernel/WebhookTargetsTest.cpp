#include <Poco/Net/IPAddress.h>
#include <Poco/Net/ServerSocket.h>
#include <doctest/doctest.h>

#include <string>

#include "kernel/webhooks/TargetGuard.h"
#include "kernel/webhooks/WebhookSender.h"
#include "kernel/webhooks/Webhooks.h"
#include "tests/kernel/TestServer.h"

// The SSRF guard of outgoing webhooks: which addresses are refused, at
// registration and at each connection.
using namespace ruche::testing;
using ruche::webhooks::AddressKind;
using ruche::webhooks::TargetPolicy;

namespace {

const std::string kPassword = "correct horse battery";

AddressKind kindOf(const std::string& address) {
  return ruche::webhooks::classifyAddress(Poco::Net::IPAddress(address));
}

bool refused(const std::string& url, bool allowPrivate = false) {
  return ruche::webhooks::urlRefusal(url, TargetPolicy{allowPrivate}).has_value();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("IPv4 addresses are classified as loopback, private, link-local, CGNAT, multicast… or public") {
  CHECK(kindOf("127.0.0.1") == AddressKind::Loopback);
  CHECK(kindOf("127.255.0.9") == AddressKind::Loopback);
  CHECK(kindOf("10.0.0.1") == AddressKind::Private);
  CHECK(kindOf("172.16.0.1") == AddressKind::Private);
  CHECK(kindOf("172.31.255.255") == AddressKind::Private);
  CHECK(kindOf("172.32.0.1") == AddressKind::Public);
  CHECK(kindOf("192.168.1.1") == AddressKind::Private);
  CHECK(kindOf("169.254.169.254") == AddressKind::LinkLocal);
  CHECK(kindOf("100.64.0.1") == AddressKind::SharedCgnat);
  CHECK(kindOf("100.127.255.254") == AddressKind::SharedCgnat);
  CHECK(kindOf("100.128.0.1") == AddressKind::Public);
  CHECK(kindOf("0.0.0.0") == AddressKind::Unspecified);
  CHECK(kindOf("0.1.2.3") == AddressKind::Unspecified);
  CHECK(kindOf("224.0.0.1") == AddressKind::Multicast);
  CHECK(kindOf("239.255.255.250") == AddressKind::Multicast);
  CHECK(kindOf("255.255.255.255") == AddressKind::Reserved);
  CHECK(kindOf("8.8.8.8") == AddressKind::Public);
  CHECK(kindOf("93.184.216.34") == AddressKind::Public);
}

TEST_CASE("IPv6 addresses are classified, and one carrying an IPv4 address by that address") {
  CHECK(kindOf("::1") == AddressKind::Loopback);
  CHECK(kindOf("::") == AddressKind::Unspecified);
  CHECK(kindOf("fe80::1") == AddressKind::LinkLocal);
  CHECK(kindOf("febf::1") == AddressKind::LinkLocal);
  CHECK(kindOf("fc00::1") == AddressKind::UniqueLocal);
  CHECK(kindOf("fd12:3456::1") == AddressKind::UniqueLocal);
  CHECK(kindOf("ff02::1") == AddressKind::Multicast);
  CHECK(kindOf("2a00:1450:4007::1") == AddressKind::Public);
  CHECK(kindOf("::ffff:10.0.0.1") == AddressKind::Private);
  CHECK(kindOf("::ffff:127.0.0.1") == AddressKind::Loopback);
  CHECK(kindOf("::ffff:169.254.169.254") == AddressKind::LinkLocal);
  CHECK(kindOf("::ffff:8.8.8.8") == AddressKind::Public);
  CHECK(kindOf("64:ff9b::10.1.2.3") == AddressKind::Private);
  CHECK(kindOf("::192.168.0.1") == AddressKind::Private);
}

TEST_CASE("a webhook URL is refused for its scheme, an internal address, or a name resolving to one") {
  CHECK(refused("ftp://example.org/hook"));
  CHECK(refused("file:///etc/passwd"));
  CHECK(refused("gopher://example.org/"));
  CHECK(refused("http://127.0.0.1:8080/hook"));
  CHECK(refused("http://10.1.2.3/hook"));
  CHECK(refused("https://169.254.169.254/latest/meta-data"));
  CHECK(refused("http://100.64.1.1/"));
  CHECK(refused("http://0.0.0.0:8080/"));
  CHECK(refused("http://[::1]:8080/hook"));
  CHECK(refused("http://[fd00::1]/hook"));
  CHECK(refused("http://[fe80::1]/hook"));
  CHECK(refused("http://[::ffff:10.0.0.1]/hook"));
  CHECK(refused("http://[ff02::1]/hook"));
  CHECK(refused("http://localhost:8080/hook"));  // a name: its addresses decide
  CHECK(refused("http://2130706433/hook"));      // 127.0.0.1 written as a number
  CHECK_FALSE(refused("https://93.184.216.34/hook"));
  CHECK_FALSE(refused("https://[2a00:1450:4007::1]/hook"));
  // webhooks.allow_private lets internal targets through, never other schemes or multicast.
  CHECK_FALSE(refused("http://127.0.0.1:8080/hook", true));
  CHECK_FALSE(refused("http://[::ffff:10.0.0.1]/hook", true));
  CHECK_FALSE(refused("http://localhost:8080/hook", true));
  CHECK(refused("ftp://127.0.0.1/", true));
  CHECK(refused("http://224.0.0.1/", true));
  auto reason = ruche::webhooks::urlRefusal("http://[::ffff:10.0.0.1]/", TargetPolicy{});
  REQUIRE(reason);
  CHECK(contains(*reason, "private"));
  CHECK(contains(*reason, "webhooks.allow_private"));
}

TEST_CASE("an admin cannot register a webhook to an internal address unless webhooks.allow_private is on") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer::Options options;
      options.settings["webhooks.allow_private"] = "false";
      TestServer server(backend, options);
      long long alpha = server.createAssociation("alpha", "Alpha");
      long long admin = server.createAccount("admin@example.org", kPassword, "Ada Admin");
      server.grantRole(admin, alpha, "admin");
      auto http = server.signedIn("admin@example.org", kPassword);
      for (const std::string url : {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/hook",
                                    "http://169.254.169.254/latest", "http://[::ffff:192.168.1.10]/"}) {
        CAPTURE(url);
        auto page = http.postFormWithCsrf("/a/alpha/manage/webhooks", "/a/alpha/manage/webhooks",
                                          {{"url", url}, {"topics", "mission.published"}});
        CHECK(page.status == 422);
        CHECK(contains(page.body, "Indiquez une adresse publique"));
        CHECK(contains(page.body, "aria-invalid=\"true\""));
      }
      CHECK(ruche::webhooks::Webhooks(server.services().db).list(alpha).empty());
      // A public address is still accepted.
      auto created = http.postFormWithCsrf("/a/alpha/manage/webhooks", "/a/alpha/manage/webhooks",
                                           {{"url", "https://93.184.216.34/hook"}, {"topics", "mission.published"}});
      CHECK(created.status == 201);
    }
  }
  SUBCASE("with webhooks.allow_private on, a loopback receiver is accepted") {
    TestServer server(Backend::Sqlite);
    long long alpha = server.createAssociation("alpha", "Alpha");
    long long admin = server.createAccount("admin@example.org", kPassword, "Ada Admin");
    server.grantRole(admin, alpha, "admin");
    auto http = server.signedIn("admin@example.org", kPassword);
    auto created = http.postFormWithCsrf("/a/alpha/manage/webhooks", "/a/alpha/manage/webhooks",
                                         {{"url", "http://127.0.0.1:8080/hook"}, {"topics", "mission.published"}});
    CHECK(created.status == 201);
  }
}

TEST_CASE("at send time the address connected to is checked after DNS resolution, whatever was registered") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.app().webhookSender().stop();  // this test sends, with its own options
      long long alpha = server.createAssociation("alpha", "Alpha");
      // A receiver that would accept a connection: none must reach it.
      Poco::Net::ServerSocket receiver(Poco::Net::SocketAddress("127.0.0.1", 0));
      std::string port = std::to_string(receiver.address().port());
      // Registered while the name looked harmless (here: while private
      // targets were allowed); by send time it leads inside.
      ruche::webhooks::Webhooks hooks(server.services().db, TargetPolicy{true});
      auto byName = hooks.create(alpha, "http://localhost:" + port + "/hook", {"mission.published"});
      auto byAddress = hooks.create(alpha, "http://127.0.0.1:" + port + "/hook", {"mission.published"});
      long long first = hooks.enqueueTest(alpha, byName.id);
      long long second = hooks.enqueueTest(alpha, byAddress.id);

      ruche::webhooks::SenderOptions options;
      options.timeout = std::chrono::seconds(2);
      options.allowPrivate = false;
      ruche::webhooks::WebhookSender sender(server.services().db, options);
      CHECK(sender.dispatchOnce() == 2);
      for (long long id : {first, second}) {
        auto delivery = hooks.delivery(id);
        REQUIRE(delivery);
        CHECK(delivery->status == "failed");
        CHECK(delivery->responseStatus == 0);
        CHECK(contains(delivery->lastError, "refused"));
        CHECK(contains(delivery->lastError, "loopback"));
      }
      CHECK_FALSE(receiver.poll(Poco::Timespan(0, 200000), Poco::Net::Socket::SELECT_READ));

      // The same deliveries go through once the instance allows private targets.
      options.allowPrivate = true;
      ruche::webhooks::WebhookSender allowed(server.services().db, options);
      server.services().db.transaction([&](soci::session& sql) {
        long long now = ruche::storage::nowSeconds();
        sql << "UPDATE webhook_deliveries SET next_attempt_at = :n", soci::use(now);
      });
      std::thread answer([&receiver] {
        for (int i = 0; i < 2; ++i) {
          if (!receiver.poll(Poco::Timespan(5, 0), Poco::Net::Socket::SELECT_READ)) {
            return;
          }
          Poco::Net::StreamSocket peer = receiver.acceptConnection();
          char buffer[4096];
          peer.setReceiveTimeout(Poco::Timespan(1, 0));
          try {
            peer.receiveBytes(buffer, sizeof buffer);
          } catch (const Poco::Exception&) {
          }
          std::string reply = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
          peer.sendBytes(reply.data(), static_cast<int>(reply.size()));
          peer.shutdown();
        }
      });
      CHECK(allowed.dispatchOnce() == 2);
      answer.join();
      CHECK(hooks.delivery(first)->status == "delivered");
      CHECK(hooks.delivery(second)->status == "delivered");
    }
  }
}
