// Mails sent many at a time: the mailer's one SMTP session per batch, and
// the kernel's subscriber to a plugin's sendMails events (partial failures).
#include <Poco/Net/ServerSocket.h>
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "kernel/mail/Mailer.h"
#include "kernel/plugins/KernelContext.h"
#include "kernel/storage/Database.h"
#include "ruche/sdk/Value.h"
#include "tests/kernel/TestServer.h"
#include "tests/support/SmtpSink.h"

using namespace ruche;
using namespace ruche::testing;
using namespace std::chrono_literals;

namespace {

mail::OutgoingMail plainMail(const std::string& to) {
  mail::OutgoingMail mail;
  mail.to = to;
  mail.subject = "Bienvenue";
  mail.body = "Bonjour " + to;
  return mail;
}

config::SmtpSettings sinkSettings(const SmtpSink& sink) {
  config::SmtpSettings settings;
  settings.host = "127.0.0.1";
  settings.port = sink.port();
  settings.from = "Ruche <no-reply@ruche.test>";
  return settings;
}

/// A plugin mail as sendMails' events carry it.
sdk::Value pluginMail(const std::string& to) {
  return sdk::Value::object({{"plugin", "probe"},
                             {"to", to},
                             {"subject", "Votre signature"},
                             {"text", "Merci, " + to},
                             {"html", ""},
                             {"unsubscribe", ""}});
}

/// Queues one sendMails event of `mails` behind the server's back.
void publishMails(TestServer& server, const std::vector<std::string>& recipients) {
  sdk::Value list = sdk::Value::array();
  for (const auto& to : recipients) {
    list.push(pluginMail(to));
  }
  server.services().db.transaction([&](soci::session& sql) {
    server.services().events.publish(sql, plugins::KernelContext::kMailsTopic, 0,
                                     sdk::Value::object({{"mails", list}}).toJson());
  });
}

}  // namespace

TEST_CASE("sendAll sends a batch over one SMTP session and a refused recipient stops only its own mail") {
  SmtpSink sink;
  sink.refuse("Nobody@Example.org");
  mail::Mailer mailer(sinkSettings(sink));
  std::vector<std::string> errors =
      mailer.sendAll({plainMail("a@example.org"), plainMail("nobody@example.org"), plainMail("b@example.org")});
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].empty());
  CHECK(errors[1].find("550") != std::string::npos);
  CHECK(errors[2].empty());
  CHECK(sink.waitForMessage("a@example.org", 5s));
  CHECK(sink.waitForMessage("b@example.org", 5s));
  CHECK(sink.messages().size() == 2);
  CHECK(sink.sessions() == 1);
}

TEST_CASE("sendAll tries no mail after its deadline but always the first") {
  SmtpSink sink;
  mail::Mailer mailer(sinkSettings(sink));
  std::vector<std::string> errors =
      mailer.sendAll({plainMail("first@example.org"), plainMail("second@example.org"), plainMail("third@example.org")},
                     std::chrono::steady_clock::now() - 1s);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].empty());
  CHECK(errors[1].find("not tried") == 0);
  CHECK(errors[2] == errors[1]);
  CHECK(sink.waitForMessage("first@example.org", 5s));
  CHECK(sink.messages().size() == 1);
}

TEST_CASE("sendAll fails every mail with the reason when the server cannot be reached") {
  SmtpSink sink;
  config::SmtpSettings settings = sinkSettings(sink);
  {
    Poco::Net::ServerSocket bound(Poco::Net::SocketAddress("127.0.0.1", 0));
    settings.port = bound.address().port();
  }  // closed again: nobody listens there
  mail::Mailer mailer(settings);
  std::vector<std::string> errors = mailer.sendAll({plainMail("a@example.org"), plainMail("b@example.org")});
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].find("cannot send mail through 127.0.0.1:" + std::to_string(settings.port)) == 0);
  CHECK(errors[1] == errors[0]);
  CHECK_THROWS_WITH_AS(mailer.send(plainMail("c@example.org")), doctest::Contains("cannot send mail"),
                       std::runtime_error);
}

TEST_CASE("the doctor's mail check gives up on a server that accepts but never answers") {
  // A relay that hangs must not hang `ruche doctor`: every wait is bounded.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  config::SmtpSettings settings;
  settings.host = "127.0.0.1";
  settings.port = silent.address().port();
  mail::Mailer mailer(settings);
  auto start = std::chrono::steady_clock::now();
  std::atomic<bool> done{false};
  std::string error;
  std::thread checker([&] {
    try {
      mailer.check();
    } catch (const std::exception& e) {
      error = e.what();
    }
    done = true;
  });
  auto limit = start + std::chrono::seconds(mail::Mailer::kSmtpTimeoutSeconds + 10);
  while (!done && std::chrono::steady_clock::now() < limit) {
    std::this_thread::sleep_for(10ms);
  }
  bool gaveUp = done.load();
  auto waited = std::chrono::steady_clock::now() - start;
  if (!gaveUp) {
    silent.close();  // resets the waiting connection: the check returns, and the test fails below
  }
  checker.join();
  CHECK(gaveUp);
  CHECK(error.find("cannot reach 127.0.0.1") == 0);
  CHECK(waited >= std::chrono::seconds(mail::Mailer::kSmtpTimeoutSeconds - 1));
}

TEST_CASE("a plugin's batch of mails whose server is down is sent whole once it is back, each once") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend, TestServer::Options{true, {{"events.first_retry_ms", "200"}}});
      publishMails(server, {"p1@example.org", "p2@example.org", "p3@example.org"});
      // The first attempt failed: nothing went, so the event stays whole.
      auto until = std::chrono::steady_clock::now() + 10s;
      while (server.scalar("SELECT COUNT(*) FROM event_deliveries WHERE last_error IS NOT NULL") == 0 &&
             std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(20ms);
      }
      REQUIRE(server.scalar("SELECT COUNT(*) FROM event_deliveries WHERE last_error IS NOT NULL") == 1);
      server.setMailServerDown(false);
      CHECK(server.waitForDeliveries(20s));
      for (const char* to : {"p1@example.org", "p2@example.org", "p3@example.org"}) {
        CHECK(server.smtp().waitForMessage(to, 5s));
      }
      CHECK(server.smtp().messages().size() == 3);
      CHECK(server.scalar("SELECT COUNT(*) FROM event_outbox WHERE topic = 'plugin.mails'") == 1);
    }
  }
}

TEST_CASE("a plugin's batch of mails with a refused address sends the others once and retries that one alone") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend,
                        TestServer::Options{false, {{"events.first_retry_ms", "50"}, {"events.max_attempts", "2"}}});
      server.smtp().refuse("gone@example.org");
      publishMails(server, {"q1@example.org", "gone@example.org", "q2@example.org"});
      CHECK(server.waitForDeliveries(20s));
      CHECK(server.smtp().waitForMessage("q1@example.org", 5s));
      CHECK(server.smtp().waitForMessage("q2@example.org", 5s));
      CHECK(server.smtp().messages().size() == 2);
      // The refused one went on alone, and ended a dead letter after its retries.
      CHECK(server.scalar("SELECT COUNT(*) FROM event_outbox WHERE topic = 'plugin.mails'") == 2);
      CHECK(server.scalar("SELECT COUNT(*) FROM event_deliveries WHERE status = 'dead'") == 1);
      CHECK(server
                .scalarText("SELECT o.payload FROM event_outbox o JOIN event_deliveries d ON d.event_id = o.id "
                            "WHERE d.status = 'dead'")
                .find("gone@example.org") != std::string::npos);
      CHECK(server.scalar("SELECT COUNT(*) FROM event_outbox o JOIN event_deliveries d ON d.event_id = o.id "
                          "WHERE d.status = 'dead' AND o.payload LIKE '%q1@example.org%'") == 0);
    }
  }
}
