#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "kernel/mail/Mailer.h"
#include "kernel/storage/Database.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;
using namespace std::chrono_literals;

namespace {

const char* const kPassword = "correct horse battery";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The unsubscribe URL of a text part: from "http" to the end of its line.
std::string unsubscribeUrl(const std::string& text) {
  auto at = text.find("/unsubscribe?token=");
  REQUIRE(at != std::string::npos);
  auto start = text.rfind("http", at);
  REQUIRE(start != std::string::npos);
  auto end = text.find_first_of(" \r\n", at);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// Every line of the raw message after its headers: RFC 5322 allows 998
// characters, and quoted-printable keeps them to 76 plus the soft break.
std::size_t longestBodyLine(const std::string& data) {
  auto bodyStart = data.find("\r\n\r\n");
  REQUIRE(bodyStart != std::string::npos);
  std::istringstream lines(data.substr(bodyStart + 4));
  std::size_t longest = 0;
  for (std::string line; std::getline(lines, line);) {
    longest = std::max(longest, line.size());
  }
  return longest;
}

// A mission whose title someone typed with markup, accents and a foreign link.
const std::string kTitle = "Accueil <script>alert('é')</script> & « rucher » https://evil.example/x";

}  // namespace

TEST_CASE("a notification arrives as text and HTML alternatives that both carry the unsubscribe link") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long associationId = server.createAssociation("abeilles", "Les Abeilles");
      long long coordinatorId = server.createAccount("coord@example.org", kPassword, "Camille Coordinatrice");
      server.createAccount("vol@example.org", kPassword, "Élodie Bénévole");
      server.grantRole(coordinatorId, associationId, "coordinator");
      long long missionId = server.createMission(associationId, kTitle);
      HttpClient volunteer = server.signedIn("vol@example.org", kPassword);
      std::string page = "/missions/" + std::to_string(missionId) + "/apply";
      REQUIRE(volunteer.postFormWithCsrf(page, page, {{"motivation", "J'aime les abeilles"}}).status == 303);

      auto mail = server.smtp().waitForMessage("coord@example.org", 10s);
      REQUIRE(mail);
      // One multipart/alternative: text/plain first, then text/html, both UTF-8.
      CHECK(contains(mail->data, "Content-Type: multipart/alternative; boundary="));
      auto plainAt = mail->data.find("Content-Type: text/plain; charset=UTF-8");
      auto htmlAt = mail->data.find("Content-Type: text/html; charset=UTF-8");
      REQUIRE(plainAt != std::string::npos);
      REQUIRE(htmlAt != std::string::npos);
      CHECK(plainAt < htmlAt);
      CHECK(longestBodyLine(mail->data) <= 78);

      // The text part is today's text, accents intact, unsubscribe link at the end.
      CHECK(contains(mail->body, "Élodie Bénévole a candidaté à la mission « " + kTitle + " »."));
      std::string unsubscribe = unsubscribeUrl(mail->body);
      CHECK(contains(mail->body, "Pour ne plus recevoir ce type d'e-mail : " + unsubscribe));

      // The HTML part: French, the message in paragraphs, the same links.
      const std::string& html = mail->html;
      REQUIRE_FALSE(html.empty());
      CHECK(contains(html, "<html lang=\"fr\">"));
      CHECK(contains(html, "<p style=\"margin:0 0 16px 0;\">Bonjour Camille Coordinatrice,</p>"));
      CHECK(contains(html, "Élodie Bénévole a candidaté"));
      CHECK(contains(html, "<a href=\"" + unsubscribe + "\""));
      CHECK(contains(html, "/me/notifications\""));
      CHECK(contains(html, "le choix « une personne candidate à une mission de mon association » est coché"));
      CHECK(contains(html, "/a/abeilles/manage/applications/"));
      // The mission title is text: escaped, and its foreign URL is no link.
      CHECK_FALSE(contains(html, "<script>"));
      CHECK(contains(html, "Accueil &lt;script&gt;alert(&apos;é&apos;)&lt;/script&gt; &amp; « rucher »"));
      CHECK_FALSE(contains(html, "href=\"https://evil.example"));
      // Long HTML lines come back whole from quoted-printable.
      CHECK(contains(html,
                     "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
                     "style=\"max-width:600px;background-color:#ffffff;border:1px solid #e3dac4;\">"));
    }
  }
}

TEST_CASE("a notification's HTML part is in the recipient's language") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long associationId = server.createAssociation("abeilles", "Les Abeilles");
      long long coordinatorId = server.createAccount("coord@example.org", kPassword, "Camille Coordinatrice");
      long long volunteerId = server.createAccount("vol@example.org", kPassword, "Vera Volunteer");
      server.grantRole(coordinatorId, associationId, "coordinator");
      server.services().db.transaction([&](soci::session& sql) {
        sql << "UPDATE accounts SET locale = 'en' WHERE id = :i", soci::use(volunteerId);
      });
      long long missionId = server.createMission(associationId, "Accueil du rucher");
      HttpClient volunteer = server.signedIn("vol@example.org", kPassword);
      HttpClient coordinator = server.signedIn("coord@example.org", kPassword);
      std::string page = "/missions/" + std::to_string(missionId) + "/apply";
      auto applied = volunteer.postFormWithCsrf(page, page, {{"motivation", "Bees!"}});
      REQUIRE(applied.status == 303);
      std::string location = applied.header("location");
      auto idAt = location.find("/me/applications/");
      REQUIRE(idAt != std::string::npos);
      long long applicationId = std::stoll(location.substr(idAt + std::string("/me/applications/").size()));
      std::string detail = "/a/abeilles/manage/applications/" + std::to_string(applicationId);
      REQUIRE(coordinator.postFormWithCsrf(detail + "/transition", detail, {{"to", "interview_scheduled"}}).status ==
              303);

      auto mail = server.smtp().waitForMessage("vol@example.org", 10s);
      REQUIRE(mail);
      CHECK(mail->subject == "Your application: Accueil du rucher");
      CHECK(contains(mail->html, "<html lang=\"en\">"));
      CHECK(contains(mail->html, "moved forward: Interview scheduled."));
      CHECK(contains(mail->html, "“my application moves forward” is ticked in your Ruche notifications."));
      CHECK(contains(mail->html, "Stop receiving this kind of e-mail</a>"));
      CHECK(contains(mail->html, "<a href=\"" + unsubscribeUrl(mail->body) + "\""));
    }
  }
}

TEST_CASE("account mails have an HTML part with their link and no unsubscribe link") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      auto http = server.client();
      auto created = http.postFormWithCsrf(
          "/signup", "/signup",
          {{"display_name", "Zoé Lefèvre"}, {"email", "zoe@example.org"}, {"password", "correct horse battery"}});
      REQUIRE(created.status == 303);
      auto mail = server.smtp().waitForMessage("zoe@example.org", 10s);
      REQUIRE(mail);
      CHECK(contains(mail->data, "Content-Type: multipart/alternative; boundary="));
      std::string link = HttpClient::extractLink(mail->body, "/verify?token=");
      REQUIRE_FALSE(link.empty());
      CHECK(contains(mail->body, "Bonjour Zoé Lefèvre,"));
      CHECK(contains(mail->html, "Bonjour Zoé Lefèvre,"));
      CHECK(contains(mail->html,
                     "<h1 style=\"margin:0 0 20px 0;font-size:20px;line-height:1.3;color:#222222;\">"
                     "Confirmez votre adresse e-mail</h1>"));
      CHECK(contains(mail->html, link + "\" style="));  // a real link
      CHECK(contains(mail->html, "Les e-mails liés à votre compte sont toujours envoyés."));
      CHECK_FALSE(contains(mail->html, "/unsubscribe"));
      CHECK(server.client().get(link).status == 200);
    }
  }
}

TEST_CASE("a mail without html is sent as a single text part, as before") {
  TestServer server(Backend::Sqlite);
  ruche::mail::OutgoingMail mail;
  mail.to = "plain@example.org";
  mail.subject = "Votre rôle à l'accueil";
  std::string longLine = "Très longue ligne : ";
  while (longLine.size() < 300) {
    longLine += "créneaux, bénévoles, équipe ; ";
  }
  mail.body = "Bonjour Noël,\n\n" + longLine + "\n.une ligne qui commence par un point\n";
  server.services().mailer.send(mail);

  auto received = server.smtp().waitForMessage("plain@example.org", 10s);
  REQUIRE(received);
  CHECK(contains(received->data, "Content-Type: text/plain; charset=UTF-8"));
  CHECK(contains(received->data, "Content-Transfer-Encoding: quoted-printable"));
  CHECK_FALSE(contains(received->data, "multipart"));
  CHECK_FALSE(contains(received->data, "text/html"));
  CHECK(received->html.empty());
  CHECK(received->subject == "Votre rôle à l'accueil");
  CHECK(received->body == mail.body);
  CHECK(longestBodyLine(received->data) <= 78);

  SUBCASE("and with html, both parts come back byte for byte") {
    mail.to = "both@example.org";
    mail.html = "<!doctype html><html lang=\"fr\"><body><p>" + longLine + "</p><p>Noël</p></body></html>";
    server.services().mailer.send(mail);
    auto both = server.smtp().waitForMessage("both@example.org", 10s);
    REQUIRE(both);
    CHECK(both->body == mail.body);
    CHECK(both->html == *mail.html);
    CHECK(longestBodyLine(both->data) <= 78);
  }
}
