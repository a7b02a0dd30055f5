#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timespan.h>
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "kernel/mail/NotificationPreferences.h"
#include "kernel/mail/UnsubscribeTokens.h"
#include "kernel/storage/Database.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;
using namespace std::chrono_literals;

namespace {

const char* const kPassword = "correct horse battery";

long long scalar(TestServer& server, const std::string& sql, long long id) {
  ruche::storage::Database::Session session(server.services().db);
  long long n = 0;
  *session << sql, soci::use(id), soci::into(n);
  return n;
}

// Waits until no delivery to a mail subscriber is pending: after this, a
// mail that was not sent will not be.
void waitForMailDeliveries(TestServer& server) {
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (scalar(server,
               "SELECT COUNT(*) FROM event_deliveries WHERE subscriber LIKE 'mail%' AND status = 'pending' AND "
               "id > :z",
               0) == 0) {
      return;
    }
    std::this_thread::sleep_for(50ms);
  }
  FAIL("mail deliveries still pending after 15 s");
}

// The token of the first unsubscribe link in a mail body.
std::string unsubscribeToken(const std::string& body) {
  std::string marker = "/unsubscribe?token=";
  auto at = body.find(marker);
  REQUIRE(at != std::string::npos);
  auto start = at + marker.size();
  auto end = body.find_first_of(" \r\n>", start);
  return body.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// An association with a coordinator (French) and a plain member, a volunteer
// whose account is in English, and a published mission.
struct World {
  explicit World(TestServer& s) : server(s) {
    associationId = server.createAssociation("abeilles", "Les Abeilles");
    coordinatorId = server.createAccount("coord@example.org", kPassword, "Camille Coordinatrice");
    memberId = server.createAccount("membre@example.org", kPassword, "Maxime Membre");
    volunteerId = server.createAccount("vol@example.org", kPassword, "Vera Volunteer");
    server.grantRole(coordinatorId, associationId, "coordinator");
    server.grantRole(memberId, associationId, "volunteer");
    server.services().db.transaction(
        [&](soci::session& sql) { sql << "UPDATE accounts SET locale = 'en' WHERE id = :i", soci::use(volunteerId); });
    missionId = server.createMission(associationId, "Accueil du rucher");
  }

  long long apply(HttpClient& client) {
    std::string page = "/missions/" + std::to_string(missionId) + "/apply";
    auto response = client.postFormWithCsrf(page, page, {{"motivation", "J'aime les abeilles"}});
    REQUIRE(response.status == 303);
    std::string location = response.header("location");
    std::string prefix = "/me/applications/";
    auto at = location.find(prefix);
    REQUIRE(at != std::string::npos);
    return std::stoll(location.substr(at + prefix.size()));
  }

  void move(HttpClient& client, long long applicationId, const std::string& to) {
    std::string detail = "/a/abeilles/manage/applications/" + std::to_string(applicationId);
    REQUIRE(client.postFormWithCsrf(detail + "/transition", detail, {{"to", to}}).status == 303);
  }

  TestServer& server;
  long long associationId = 0;
  long long coordinatorId = 0;
  long long memberId = 0;
  long long volunteerId = 0;
  long long missionId = 0;
};

}  // namespace

TEST_CASE("an application mails the coordinators and each step mails the volunteer in their language") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      World world(server);
      HttpClient volunteer = server.signedIn("vol@example.org", kPassword);
      HttpClient coordinator = server.signedIn("coord@example.org", kPassword);

      long long applicationId = world.apply(volunteer);
      auto received = server.smtp().waitForMessage("coord@example.org", 10s);
      REQUIRE(received);
      CHECK(received->subject == "Nouvelle candidature : Accueil du rucher");
      CHECK(received->body.find("Bonjour Camille Coordinatrice") != std::string::npos);
      CHECK(received->body.find("Vera Volunteer a candidaté") != std::string::npos);
      CHECK(received->body.find("/a/abeilles/manage/applications/" + std::to_string(applicationId)) !=
            std::string::npos);
      CHECK(received->data.find("List-Unsubscribe: <") != std::string::npos);
      CHECK_FALSE(unsubscribeToken(received->body).empty());

      world.move(coordinator, applicationId, "interview_scheduled");
      auto status = server.smtp().waitForMessage("vol@example.org", 10s);
      REQUIRE(status);
      CHECK(status->subject == "Your application: Accueil du rucher");
      CHECK(status->body.find("moved forward: Interview scheduled") != std::string::npos);
      CHECK(status->body.find("/me/applications/" + std::to_string(applicationId)) != std::string::npos);
      CHECK(status->body.find("/unsubscribe?token=") != std::string::npos);

      // A plain member of the association is not told about applications,
      // and the volunteer gets no mail for their own application.
      waitForMailDeliveries(server);
      for (const auto& message : server.smtp().messages()) {
        CHECK(message.to.at(0) != "membre@example.org");
      }
      CHECK(server.smtp().messages().size() == 2);
    }
  }
}

TEST_CASE("turning a kind off on /me/notifications stops that mail and only that one") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      World world(server);
      HttpClient coordinator = server.signedIn("coord@example.org", kPassword);
      HttpClient volunteer = server.signedIn("vol@example.org", kPassword);

      auto page = coordinator.get("/me/notifications");
      REQUIRE(page.status == 200);
      CHECK(page.body.find("id=\"kind-application_received\" name=\"kind\" type=\"checkbox\" "
                           "value=\"application_received\" aria-describedby=\"kind-application_received-hint\" "
                           "checked") != std::string::npos);
      auto saved = coordinator.postFormWithCsrf("/me/notifications", "/me/notifications",
                                                {{"kind", "application_status"}, {"kind", "hours_validated"}});
      REQUIRE(saved.status == 303);
      auto after = coordinator.followRedirect(saved);
      CHECK(after.body.find("role=\"status\"") != std::string::npos);
      CHECK(after.body.find("value=\"application_received\" aria-describedby=\"kind-application_received-hint\">") !=
            std::string::npos);
      CHECK(after.body.find("value=\"application_status\" aria-describedby=\"kind-application_status-hint\" checked") !=
            std::string::npos);

      // An unknown kind is refused and changes nothing.
      CHECK(coordinator.postFormWithCsrf("/me/notifications", "/me/notifications", {{"kind", "everything"}}).status ==
            422);
      // Every kind but the two ticked ones is off.
      CHECK(scalar(server, "SELECT COUNT(*) FROM notification_preferences WHERE account_id = :a AND enabled = 0",
                   world.coordinatorId) == static_cast<long long>(ruche::mail::notificationKinds().size()) - 2);
      // Anonymous visitors are sent to sign in.
      CHECK(server.client().get("/me/notifications").status != 200);

      long long applicationId = world.apply(volunteer);
      world.move(coordinator, applicationId, "interview_scheduled");
      REQUIRE(server.smtp().waitForMessage("vol@example.org", 10s));
      waitForMailDeliveries(server);
      CHECK_FALSE(server.smtp().waitForMessage("coord@example.org", 200ms));
    }
  }
}

TEST_CASE("the unsubscribe link of a mail works without signing in and turns that kind off") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      World world(server);
      HttpClient volunteer = server.signedIn("vol@example.org", kPassword);
      HttpClient coordinator = server.signedIn("coord@example.org", kPassword);

      long long applicationId = world.apply(volunteer);
      world.move(coordinator, applicationId, "interview_scheduled");
      auto mail = server.smtp().waitForMessage("vol@example.org", 10s);
      REQUIRE(mail);
      std::string token = unsubscribeToken(mail->body);
      CHECK(mail->data.find(token) != std::string::npos);  // also in List-Unsubscribe

      HttpClient anonymous = server.client();
      std::string link = "/unsubscribe?token=" + token;
      auto confirm = anonymous.get(link);
      REQUIRE(confirm.status == 200);
      CHECK(confirm.body.find("ma candidature avance") != std::string::npos);
      // Opening the link (as mail scanners do) changes nothing. The page speaks
      // the browser's language (French without Accept-Language).
      CHECK(scalar(server, "SELECT COUNT(*) FROM notification_preferences WHERE account_id = :a", world.volunteerId) ==
            0);

      auto done = anonymous.postFormWithCsrf("/unsubscribe", link, {{"token", token}, {"scope", "kind"}});
      REQUIRE(done.status == 303);
      CHECK(anonymous.followRedirect(done).body.find("role=\"status\"") != std::string::npos);
      CHECK(scalar(server,
                   "SELECT COUNT(*) FROM notification_preferences WHERE account_id = :a AND enabled = 0 AND "
                   "kind = 'application_status'",
                   world.volunteerId) == 1);
      CHECK(scalar(server, "SELECT COUNT(*) FROM notification_preferences WHERE account_id = :a", world.volunteerId) ==
            1);

      world.move(coordinator, applicationId, "declined");
      waitForMailDeliveries(server);
      CHECK_FALSE(server.smtp().waitForMessage("vol@example.org", 200ms));

      // The coordinator's link can turn everything off at once.
      auto received = server.smtp().waitForMessage("coord@example.org", 10s);
      REQUIRE(received);
      std::string coordinatorLink = "/unsubscribe?token=" + unsubscribeToken(received->body);
      REQUIRE(anonymous
                  .postFormWithCsrf("/unsubscribe", coordinatorLink,
                                    {{"token", unsubscribeToken(received->body)}, {"scope", "all"}})
                  .status == 303);
      CHECK(scalar(server, "SELECT COUNT(*) FROM notification_preferences WHERE account_id = :a AND enabled = 0",
                   world.coordinatorId) == static_cast<long long>(ruche::mail::notificationKinds().size()));
    }
  }
}

TEST_CASE("a bad unsubscribe token is refused and changes nothing") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      World world(server);
      ruche::mail::UnsubscribeTokens tokens(server.services().db);
      std::string good = tokens.issue(world.volunteerId, "application_status");
      REQUIRE(tokens.verify(good));
      CHECK(tokens.verify(good)->accountId == world.volunteerId);

      std::string tamperedMac = good;
      char& inMac = tamperedMac[tamperedMac.size() - 5];
      inMac = inMac == 'A' ? 'B' : 'A';
      std::string otherAccount = std::to_string(world.coordinatorId) + good.substr(good.find('.'));
      std::string otherKind = good;
      otherKind.replace(otherKind.find("application_status"), 18, "hours_validated");
      HttpClient anonymous = server.client();
      std::string valid = "/unsubscribe?token=" + good;
      for (const std::string& bad : {tamperedMac, otherAccount, otherKind, std::string("nonsense"), std::string()}) {
        CAPTURE(bad);
        CHECK_FALSE(tokens.verify(bad));
        CHECK(anonymous.get("/unsubscribe?token=" + bad).status == 404);
        CHECK(anonymous.postFormWithCsrf("/unsubscribe", valid, {{"token", bad}, {"scope", "all"}}).status == 404);
      }
      // A valid token with a scope that is neither "kind" nor "all".
      CHECK(anonymous.postFormWithCsrf("/unsubscribe", valid, {{"token", good}, {"scope", "everything"}}).status ==
            422);
      CHECK(scalar(server, "SELECT COUNT(*) FROM notification_preferences WHERE account_id > :z", 0) == 0);
    }
  }
}

TEST_CASE("a notification refused by a down mail server arrives once the server is back") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend, TestServer::Options{true, {}});
      World world(server);
      HttpClient volunteer = server.signedIn("vol@example.org", kPassword);
      world.apply(volunteer);

      // The first attempt fails and is scheduled again (backoff from 1 s).
      auto deadline = std::chrono::steady_clock::now() + 10s;
      while (scalar(server,
                    "SELECT COUNT(*) FROM event_deliveries WHERE subscriber = 'mail' AND attempts > :z "
                    "AND last_error IS NOT NULL",
                    0) == 0 &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
      }
      REQUIRE(scalar(server,
                     "SELECT COUNT(*) FROM event_deliveries WHERE subscriber = 'mail' AND attempts > :z "
                     "AND last_error IS NOT NULL",
                     0) == 1);
      CHECK(server.smtp().messages().empty());

      server.setMailServerDown(false);
      auto mail = server.smtp().waitForMessage("coord@example.org", 15s);
      REQUIRE(mail);
      CHECK(mail->subject == "Nouvelle candidature : Accueil du rucher");
      waitForMailDeliveries(server);
      CHECK(server.smtp().messages().size() == 1);
    }
  }
}

TEST_CASE("a verification mail goes through the outbox, survives a down mail server and has no unsubscribe link") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend, TestServer::Options{true, {}});
      HttpClient http = server.client();
      auto created = http.postFormWithCsrf(
          "/signup", "/signup",
          {{"display_name", "Zoé"}, {"email", "zoe@example.org"}, {"password", "correct horse battery"}});
      REQUIRE(created.status == 303);
      // The token is issued when the mail is sent: the outbox holds none.
      CHECK(scalar(server, "SELECT COUNT(*) FROM event_outbox WHERE topic = 'account.mail' AND id > :z", 0) == 1);
      CHECK(scalar(server, "SELECT COUNT(*) FROM event_outbox WHERE payload LIKE '%token%' AND id > :z", 0) == 0);
      CHECK_FALSE(server.smtp().waitForMessage("zoe@example.org", 1500ms));

      server.setMailServerDown(false);
      auto mail = server.smtp().waitForMessage("zoe@example.org", 15s);
      REQUIRE(mail);
      CHECK(mail->subject == "Confirmez votre adresse e-mail");
      CHECK(mail->body.find("/unsubscribe") == std::string::npos);
      CHECK(mail->data.find("List-Unsubscribe") == std::string::npos);
      std::string link = HttpClient::extractLink(mail->body, "/verify?token=");
      auto verified = http.get(link.substr(link.find("/verify")));
      CHECK(verified.status == 200);
      CHECK(scalar(server, "SELECT COUNT(*) FROM accounts WHERE email_verified_at IS NOT NULL AND id > :z", 0) == 1);
    }
  }
}

TEST_CASE("the scheduled reminders reach people by mail") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      World world(server);
      HttpClient volunteer = server.signedIn("vol@example.org", kPassword);
      long long applicationId = world.apply(volunteer);
      REQUIRE(server.smtp().waitForMessage("coord@example.org", 10s));  // application_received
      // Four days without an answer; later, the mission starts the day after
      // the jobs' next daily run (two days from now).
      long long fourDaysAgo = ruche::storage::nowSeconds() - 4 * 24 * 3600;
      std::string dayAfterNextRun =
          Poco::DateTimeFormatter::format(Poco::DateTime() + Poco::Timespan(3, 0, 0, 0, 0), "%Y-%m-%d");
      server.services().db.transaction([&](soci::session& sql) {
        sql << "UPDATE applications SET created_at = :t WHERE id = :i", soci::use(fourDaysAgo),
            soci::use(applicationId);
      });
      server.app().jobs().runDue(ruche::storage::nowSeconds() + 3600);
      auto nudge = server.smtp().waitForMessage("coord@example.org", 10s);
      REQUIRE(nudge);
      CHECK(nudge->body.find("Accueil du rucher") != std::string::npos);
      CHECK(nudge->body.find("/unsubscribe?token=") != std::string::npos);

      server.services().db.transaction([&](soci::session& sql) {
        sql << "UPDATE applications SET status = 'active' WHERE id = :i", soci::use(applicationId);
        sql << "UPDATE missions SET starts_on = :d WHERE id = :m", soci::use(dayAfterNextRun),
            soci::use(world.missionId);
      });
      server.app().jobs().runDue(ruche::storage::nowSeconds() + 2 * 24 * 3600);
      bool reminded = false;
      for (int i = 0; i < 3 && !reminded; ++i) {
        auto mail = server.smtp().waitForMessage("vol@example.org", 10s);
        REQUIRE(mail);
        reminded = mail->subject.find("Tomorrow") != std::string::npos;  // the volunteer's account is in English
      }
      CHECK(reminded);
    }
  }
}
