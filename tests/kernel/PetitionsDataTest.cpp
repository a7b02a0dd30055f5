// The petitions plugin's signers' data (issue 7), loaded into a real
// server on both backends with the SMTP sink: tokens stored as hashes, the
// withdrawal link in every mail, updates to those who consented, erasure
// months after closing, the delivery report, the person's data through the
// SDK and the JSON API. Bad input gets a clear answer and changes nothing.
#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kernel/plugins/PluginHost.h"
#include "kernel/storage/Database.h"
#include "plugins/petitions/src/TokenHash.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kSlug = "ruche-donnees";
const std::string kHome = "/a/" + kSlug + "/petitions";
const std::string kApi = "/api/v1/associations/" + kSlug + "/petitions";

/// A server with the petitions plugin on in one association and a
/// coordinator signed in; helpers to sign, confirm and count.
struct DataWorld {
  explicit DataWorld(Backend backend)
      : server(backend, TestServer::withPlugins(plugins.path(), {"petitions"})), coordinator(server.client()) {
    associationId = server.createAssociation(kSlug, "Données");
    server.app().plugins().store().setEnabled("petitions", associationId, true);
    coordinatorId = server.createAccount("coord@example.org", kPassword, "Camille");
    server.grantRole(coordinatorId, associationId, "coordinator");
    coordinator = server.signedIn("coord@example.org", kPassword);
  }

  /// The coordinators' form fields of a petition, with `status`.
  static HttpClient::FormFields petitionFields(const std::string& status, HttpClient::FormFields more = {}) {
    HttpClient::FormFields fields = {{"title", "Sauvons le verger"},
                                     {"body", "Un verger pour tous."},
                                     {"addressee", "La mairie"},
                                     {"goal", "100"},
                                     {"status", status},
                                     {"consent_text", "Tenez-moi informé·e"}};
    fields.insert(fields.end(), more.begin(), more.end());
    return fields;
  }

  long long create(const std::string& status, HttpClient::FormFields more = {}) {
    auto created =
        coordinator.postFormWithCsrf(kHome + "/manage/new", kHome + "/manage/new", petitionFields(status, more));
    REQUIRE(created.status == 303);
    return count("SELECT MAX(id) FROM petitions_petitions");
  }

  /// Saves the petition through the coordinators' form with another status.
  void setStatus(long long id, const std::string& status, HttpClient::FormFields more = {}) {
    std::string path = kHome + "/manage/" + std::to_string(id);
    REQUIRE(coordinator.postFormWithCsrf(path, path, petitionFields(status, more)).status == 303);
  }

  long long count(const std::string& sql) { return server.scalar(sql); }

  std::string text(const std::string& sql) { return server.scalarText(sql); }

  void execute(const std::string& sql) { server.execute(sql); }

  std::string page(long long id) const { return kHome + "/" + std::to_string(id); }

  HttpResponse sign(long long id, HttpClient::FormFields fields, const HttpClient::Headers& headers = {}) {
    HttpClient visitor = server.client();
    return visitor.postFormWithCsrf(page(id) + "/sign", page(id), std::move(fields), headers);
  }

  /// Signs, takes the confirmation mail and confirms it; returns the mail.
  SmtpMessage signAndConfirm(long long id, HttpClient::FormFields fields, const HttpClient::Headers& headers = {}) {
    std::string email;
    for (const auto& [name, value] : fields) {
      if (name == "email") {
        email = value;
      }
    }
    auto answer = sign(id, fields, headers);
    REQUIRE(answer.status == 303);
    auto mail = server.smtp().waitForMessage(email, 10s);
    REQUIRE(mail);
    std::string link = HttpClient::extractLink(mail->body, kHome + "/confirm/");
    HttpClient signer = server.client();
    REQUIRE(signer.postFormWithCsrf(link, link, {}).status == 303);
    return *mail;
  }

  long long confirmed(long long id) {
    return count("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM petitions_counters WHERE petition_id = " +
                 std::to_string(id));
  }

  long long signatures() { return count("SELECT COUNT(*) FROM petitions_signatures"); }

  TempDir plugins;
  TestServer server;
  HttpClient coordinator;
  long long associationId = 0;
  long long coordinatorId = 0;
};

/// The last path segment of a link: its token.
std::string tokenOf(const std::string& link) {
  std::string path = link.substr(0, link.find('?'));
  return path.substr(path.rfind('/') + 1);
}

}  // namespace

TEST_CASE("petition tokens are stored only as hashes, and the withdrawal link of the mail uncounts exactly once") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open");
      auto mail = world.signAndConfirm(id, {{"name", "Ana"}, {"email", "ana@example.org"}, {"consent", "1"}});
      REQUIRE(world.confirmed(id) == 1);

      // Each link names the signature, "<selector>.<secret>", the selector
      // its id hidden (16 hex digits, the same in both links); of the
      // secrets only their SHA-256 is in the database, in the row.
      std::string confirmLink = HttpClient::extractLink(mail.body, kHome + "/confirm/");
      std::string withdrawLink = HttpClient::extractLink(mail.body, kHome + "/withdraw/");
      CHECK(mail.body.find("Pour retirer votre signature") != std::string::npos);
      long long rowId = world.count("SELECT id FROM petitions_signatures");
      std::string confirmToken = tokenOf(confirmLink);
      std::string withdrawToken = tokenOf(withdrawLink);
      REQUIRE(confirmToken.size() > 17);
      REQUIRE(confirmToken[16] == '.');
      std::string signatureId = confirmToken.substr(0, 16);  // the selector
      REQUIRE(withdrawToken.rfind(signatureId + ".", 0) == 0);
      CHECK(std::stoull(signatureId, nullptr, 16) != static_cast<unsigned long long>(rowId));
      std::string confirmSecret = confirmToken.substr(17);
      std::string withdrawSecret = withdrawToken.substr(17);
      CHECK(confirmSecret.size() >= 43);
      CHECK(confirmSecret != withdrawSecret);
      CHECK(world.text("SELECT token FROM petitions_signatures") == petitions::tokenHash(confirmSecret));
      CHECK(world.text("SELECT withdraw_hash FROM petitions_signatures") == petitions::tokenHash(withdrawSecret));
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE token = '" + confirmSecret +
                        "' OR withdraw_hash = '" + withdrawSecret + "'") == 0);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_links") == 0);

      // The id opens nothing without its secret: a wrong secret, the secret
      // with another id, or one link's secret in the other's place.
      HttpClient signer = world.server.client();
      std::string otherId = signatureId;
      otherId.back() = otherId.back() == '0' ? '1' : '0';  // another selector
      CHECK(signer.get(kHome + "/withdraw/" + signatureId + "." + withdrawSecret + "x").status == 404);
      CHECK(signer.get(kHome + "/withdraw/" + otherId + "." + withdrawSecret).status == 404);
      CHECK(signer.get(kHome + "/withdraw/" + signatureId + "." + confirmSecret).status == 404);
      CHECK(signer.get(kHome + "/confirm/" + signatureId + "." + withdrawSecret).status == 404);
      CHECK(signer.get(kHome + "/confirm/" + signatureId + ".").status == 404);
      CHECK(signer.get(kHome + "/confirm/" + confirmToken).status == 409);  // the right one: used already

      // The link opens a page with a button: following it changes nothing.
      auto ask = signer.get(withdrawLink);
      REQUIRE(ask.status == 200);
      CHECK(ask.body.find("Je retire ma signature") != std::string::npos);
      CHECK(world.confirmed(id) == 1);

      auto withdrawn = signer.postFormWithCsrf(withdrawLink, withdrawLink, {});
      REQUIRE(withdrawn.status == 303);
      auto done = signer.followRedirect(withdrawn);
      CHECK(done.body.find("Votre signature est retirée") != std::string::npos);
      CHECK(world.confirmed(id) == 0);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE withdrawn_at IS NOT NULL AND name = '' "
                        "AND email = '' AND consent = 0") == 1);
      CHECK(world.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'petitions.withdrawn'") == 1);
      auto shown = world.server.client().get(world.page(id));
      CHECK(shown.body.find("0 signature confirmée") != std::string::npos);

      // Again: idempotent, with a clear answer, nothing more changes.
      auto again = signer.post(withdrawLink, HttpClient::formEncode({{"_csrf", HttpClient::csrfFrom(ask.body)}}),
                               "application/x-www-form-urlencoded");
      CHECK(again.status == 200);
      CHECK(again.body.find("déjà été retirée") != std::string::npos);
      CHECK(world.confirmed(id) == 0);
      CHECK(world.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'petitions.withdrawn'") == 1);
      CHECK(world.count("SELECT CAST(COALESCE(MIN(n), 0) AS BIGINT) FROM petitions_counters") == 0);

      // The confirmation link of a withdrawn signature says so.
      auto replay = signer.get(confirmLink);
      CHECK(replay.status == 410);
      CHECK(replay.body.find("a été retirée") != std::string::npos);

      auto unknown = world.server.client().get(kHome + "/withdraw/nosuchtoken");
      CHECK(unknown.status == 404);
      CHECK(unknown.body.find("Ce lien n’existe pas") != std::string::npos);
      CHECK(world.server.client().postFormWithCsrf(kHome + "/withdraw/nosuchtoken", world.page(id), {}).status == 404);

      // The address may sign again: a new signature, a new confirmation.
      world.signAndConfirm(id, {{"name", "Ana"}, {"email", "ana@example.org"}});
      CHECK(world.confirmed(id) == 1);
      CHECK(world.signatures() == 2);
    }
  }
}

TEST_CASE("withdrawing a pending petition signature takes it off the pending count and its link stops confirming") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open");
      REQUIRE(world.sign(id, {{"name", "Bo"}, {"email", "bo@example.org"}}).status == 303);
      auto mail = world.server.smtp().waitForMessage("bo@example.org", 10s);
      REQUIRE(mail);
      CHECK(world.server.client().get(world.page(id)).body.find("1 signature en attente") != std::string::npos);
      std::string withdrawLink = HttpClient::extractLink(mail->body, kHome + "/withdraw/");
      HttpClient signer = world.server.client();
      REQUIRE(signer.postFormWithCsrf(withdrawLink, withdrawLink, {}).status == 303);
      CHECK(world.server.client().get(world.page(id)).body.find("0 signature en attente") != std::string::npos);
      std::string confirmLink = HttpClient::extractLink(mail->body, kHome + "/confirm/");
      auto refused = signer.postFormWithCsrf(confirmLink, world.page(id), {});
      CHECK(refused.status == 410);
      CHECK(world.confirmed(id) == 0);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE confirmed_at IS NOT NULL") == 0);
    }
  }
}

TEST_CASE("links mailed before migration 007 keep working, and a signer asking again gets links naming the row") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open");
      // Two signatures as stored before: the confirmation token's hash in
      // `token` (linked_by_id 0), the withdrawal link a row of petitions_links.
      auto oldRow = [&](const std::string& who, const std::string& confirm, const std::string& withdraw,
                        long long expiresAt) {
        world.execute(
            "INSERT INTO petitions_signatures (petition_id, email, email_key, name, token, "
            "token_expires_at, mailed_at, created_at, locale) VALUES (" +
            std::to_string(id) + ", '" + who + "', '" + who + "', 'Old', '" + petitions::tokenHash(confirm) + "', " +
            std::to_string(expiresAt) + ", 0, 0, 'fr')");
        world.execute("INSERT INTO petitions_links (token_hash, signature_id, created_at) VALUES ('" +
                      petitions::tokenHash(withdraw) + "', (SELECT id FROM petitions_signatures WHERE email_key = '" +
                      who + "'), 0)");
      };
      oldRow("early@example.org", "oldConfirmToken", "oldWithdrawToken", 4102444800);
      oldRow("late@example.org", "lateConfirmToken", "lateWithdrawToken", 1);  // expired

      HttpClient signer = world.server.client();
      CHECK(signer.get(kHome + "/confirm/oldConfirmToken").status == 200);
      REQUIRE(signer.postFormWithCsrf(kHome + "/confirm/oldConfirmToken", world.page(id), {}).status == 303);
      CHECK(world.confirmed(id) == 1);
      CHECK(signer.get(kHome + "/withdraw/oldWithdrawToken").status == 200);

      // The expired one signs again: the new mail's confirmation link names
      // the row, its withdrawal link is a new row of petitions_links, and
      // the old withdrawal link still works.
      CHECK(signer.get(kHome + "/confirm/lateConfirmToken").status == 410);
      REQUIRE(world.sign(id, {{"name", "Old"}, {"email", "late@example.org"}}).status == 303);
      auto mail = world.server.smtp().waitForMessage("late@example.org", 10s);
      REQUIRE(mail);
      std::string rowId =
          std::to_string(world.count("SELECT id FROM petitions_signatures WHERE email_key = "
                                     "'late@example.org'"));
      std::string confirmLink = HttpClient::extractLink(mail->body, kHome + "/confirm/");
      CHECK(tokenOf(confirmLink).find('.') == 16);  // a link naming the row
      CHECK(world.count("SELECT linked_by_id FROM petitions_signatures WHERE id = " + rowId) == 1);
      CHECK(signer.get(kHome + "/confirm/lateConfirmToken").status == 404);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_links") == 3);
      REQUIRE(signer.postFormWithCsrf(confirmLink, world.page(id), {}).status == 303);
      CHECK(world.confirmed(id) == 2);
      REQUIRE(signer.postFormWithCsrf(kHome + "/withdraw/lateWithdrawToken", world.page(id), {}).status == 303);
      CHECK(world.confirmed(id) == 1);
      std::string newWithdraw = HttpClient::extractLink(mail->body, kHome + "/withdraw/");
      CHECK(signer.get(newWithdraw).body.find("déjà") != std::string::npos);
    }
  }
}

TEST_CASE("a plain petition token from before migration 003 stops working and its signer can sign again") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open");
      world.execute(
          "INSERT INTO petitions_signatures (petition_id, email, email_key, name, token, token_expires_at, "
          "mailed_at, created_at) VALUES (" +
          std::to_string(id) + ", 'old@example.org', 'old@example.org', 'Old', 'plaintoken', 4102444800, 0, 0)");
      // The migration's own statements on that row (it ran before the row existed).
      std::ifstream file(fs::path(RUCHE_TEST_PLUGINS) / "petitions" / "petitions" / "migrations" /
                         "003_signers_data.sql");
      REQUIRE(file);
      std::string line;
      int updates = 0;
      while (std::getline(file, line)) {
        if (line.rfind("UPDATE ", 0) == 0) {
          world.execute(line.substr(0, line.find_last_of(';')));
          ++updates;
        }
      }
      CHECK(updates == 2);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE token = 'plaintoken'") == 0);
      auto dead = world.server.client().get(kHome + "/confirm/plaintoken");
      CHECK(dead.status == 404);
      CHECK(world.confirmed(id) == 0);

      world.signAndConfirm(id, {{"name", "Old"}, {"email", "old@example.org"}});
      CHECK(world.confirmed(id) == 1);
      CHECK(world.signatures() == 1);
    }
  }
}

TEST_CASE("petition updates are listed publicly and mailed to confirmed consenting signers in their language") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open");
      world.signAndConfirm(id, {{"name", "Ana"}, {"email", "ana@example.org"}, {"consent", "1"}});
      world.signAndConfirm(id, {{"name", "Ben"}, {"email", "ben@example.org"}, {"consent", "1"}},
                           {{"Accept-Language", "en"}});
      world.signAndConfirm(id, {{"name", "Cy"}, {"email", "cy@example.org"}});
      REQUIRE(world.sign(id, {{"name", "Dee"}, {"email", "dee@example.org"}, {"consent", "1"}}).status == 303);
      REQUIRE(world.server.smtp().waitForMessage("dee@example.org", 10s));

      std::string updates = kHome + "/manage/" + std::to_string(id) + "/updates";
      auto form = world.coordinator.get(updates);
      REQUIRE(form.status == 200);
      CHECK(form.body.find("2 signataires ont demandé") != std::string::npos);

      // Bad input: nothing stored, nothing mailed.
      auto invalid = world.coordinator.postFormWithCsrf(updates, updates, {{"subject", ""}, {"body", "Texte"}});
      CHECK(invalid.status == 422);
      CHECK(invalid.body.find("Ce champ est obligatoire.") != std::string::npos);
      CHECK(invalid.body.find("aria-invalid=\"true\" aria-describedby=\"subject-error\"") != std::string::npos);
      auto tooLong = world.coordinator.postFormWithCsrf(updates, updates,
                                                        {{"subject", "Nouvelles"}, {"body", std::string(10001, 'x')}});
      CHECK(tooLong.status == 422);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_updates") == 0);

      auto sent = world.coordinator.postFormWithCsrf(
          updates, updates, {{"subject", "Le maire nous reçoit"}, {"body", "Rendez-vous lundi.\n\nMerci à tous."}});
      REQUIRE(sent.status == 303);
      auto progress = world.coordinator.followRedirect(sent);
      CHECK(progress.body.find("2 e-mails mis en file / 2 destinataires") != std::string::npos);
      CHECK(progress.body.find("tous en file") != std::string::npos);

      auto fr = world.server.smtp().waitForMessage("ana@example.org", 10s);
      REQUIRE(fr);
      CHECK(fr->subject == "Le maire nous reçoit");
      CHECK(fr->body.find("Des nouvelles de la pétition que vous avez signée") != std::string::npos);
      CHECK(fr->body.find("Rendez-vous lundi.") != std::string::npos);
      CHECK(fr->body.find("Pour retirer votre signature") != std::string::npos);
      CHECK(fr->data.find("List-Unsubscribe") != std::string::npos);
      auto en = world.server.smtp().waitForMessage("ben@example.org", 10s);
      REQUIRE(en);
      CHECK(en->body.find("News of the petition you signed") != std::string::npos);
      CHECK(en->body.find("To withdraw your signature") != std::string::npos);
      CHECK_FALSE(world.server.smtp().waitForMessage("cy@example.org", 300ms));
      CHECK_FALSE(world.server.smtp().waitForMessage("dee@example.org", 300ms));

      auto shown = world.server.client().get(world.page(id));
      CHECK(shown.body.find("<h3>Le maire nous reçoit</h3>") != std::string::npos);
      CHECK(shown.body.find("<p>Merci à tous.</p>") != std::string::npos);

      // The stop link: Ana gets no more news, her signature stays counted.
      std::string stop = HttpClient::extractLink(fr->body, kHome + "/withdraw/");
      stop.replace(stop.find("/withdraw/"), 10, "/stop/");
      HttpClient ana = world.server.client();
      CHECK(ana.get(stop).body.find("Ne plus recevoir les nouvelles") != std::string::npos);
      REQUIRE(ana.postFormWithCsrf(stop, stop, {}).status == 303);
      CHECK(world.confirmed(id) == 3);
      REQUIRE(
          world.coordinator.postFormWithCsrf(updates, updates, {{"subject", "Encore"}, {"body", "Suite."}}).status ==
          303);
      CHECK(world.server.smtp().waitForMessage("ben@example.org", 10s));
      CHECK_FALSE(world.server.smtp().waitForMessage("ana@example.org", 300ms));

      // Coordinators only.
      CHECK(world.server.client().get(updates).status != 200);
    }
  }
}

TEST_CASE("petition update mails beyond the first batch are queued by the send_updates job") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open");
      constexpr int kSigners = 230;
      for (int i = 0; i < kSigners; ++i) {
        std::string email = "s" + std::to_string(i) + "@example.org";
        world.execute(
            "INSERT INTO petitions_signatures (petition_id, email, email_key, name, consent, token, "
            "token_expires_at, mailed_at, created_at, confirmed_at) VALUES (" +
            std::to_string(id) + ", '" + email + "', '" + email + "', 'S', 1, 'h" + std::to_string(i) +
            "', 0, 0, 0, 1)");
      }
      std::string updates = kHome + "/manage/" + std::to_string(id) + "/updates";
      REQUIRE(
          world.coordinator.postFormWithCsrf(updates, updates, {{"subject", "Nouvelles"}, {"body", "Texte."}}).status ==
          303);
      CHECK(world.count("SELECT queued FROM petitions_updates") == 200);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_updates WHERE finished_at IS NULL") == 1);
      CHECK(world.coordinator.get(updates).body.find("mise en file en cours") != std::string::npos);
      world.server.app().jobs().runDue(ruche::storage::nowSeconds() + 120);
      CHECK(world.count("SELECT queued FROM petitions_updates") == kSigners);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_updates WHERE finished_at IS NULL") == 0);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_links") == kSigners);
      CHECK(world.server.smtp().waitForMessage("s229@example.org", 20s));
    }
  }
}

TEST_CASE("signers' personal data is erased the set months after closing, keeping the counts and the report") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      world.server.app().plugins().store().saveSettings("petitions", world.associationId, {{"erase_months", "2"}});
      long long id = world.create("open", {{"ask_postcode", "1"}, {"ask_country", "1"}});
      world.signAndConfirm(
          id, {{"name", "Ana"}, {"email", "ana@example.org"}, {"postcode", "75011"}, {"country", "France"}});
      world.signAndConfirm(
          id, {{"name", "Bo"}, {"email", "bo@example.org"}, {"postcode", "1000"}, {"country", "Belgique"}});
      REQUIRE(
          world.sign(id, {{"name", "Pat"}, {"email", "pat@example.org"}, {"postcode", "13001"}, {"country", "France"}})
              .status == 303);
      auto patMail = world.server.smtp().waitForMessage("pat@example.org", 10s);
      REQUIRE(patMail);
      long long untouched = world.create("open");  // stays open: never erased

      world.setStatus(id, "closed", {{"ask_postcode", "1"}, {"ask_country", "1"}});
      CHECK(world.count("SELECT COUNT(*) FROM petitions_retention WHERE erase_months = 2 AND erased_at IS NULL") == 1);

      long long now = ruche::storage::nowSeconds();
      world.server.app().jobs().runDue(now + 40 * 86400);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE name = 'Ana'") == 1);

      // Switched off in the association meanwhile: the data goes all the same.
      world.server.app().plugins().store().setEnabled("petitions", world.associationId, false);
      world.server.app().jobs().runDue(now + 70 * 86400);
      world.server.app().plugins().store().setEnabled("petitions", world.associationId, true);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE name <> '' OR email <> '' OR postcode <> '' "
                        "OR country <> ''") == 0);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE confirmed_at IS NULL") == 0);
      CHECK(world.signatures() == 2);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_links") == 0);
      CHECK(world.confirmed(id) == 2);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_retention WHERE erased_at IS NOT NULL") == 1);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_retention WHERE petition_id = " + std::to_string(untouched)) ==
            0);

      auto report = world.coordinator.get(kHome + "/manage/" + std::to_string(id) + "/report");
      REQUIRE(report.status == 200);
      CHECK(report.body.find("<th scope=\"row\">75</th><td>1</td>") != std::string::npos);
      CHECK(report.body.find("<th scope=\"row\">Belgique</th><td>1</td>") != std::string::npos);
      CHECK(report.body.find("ont été effacées le") != std::string::npos);
      auto csv = world.coordinator.get(kHome + "/manage/" + std::to_string(id) + "/signatures.csv");
      CHECK(csv.body.find("ana@example.org") == std::string::npos);
      CHECK(csv.body.find("\r\n") == csv.body.size() - 2);  // the header only
      CHECK(world.server.client().get(world.page(id)).body.find("2 signatures confirmées") != std::string::npos);

      // Old links are gone with the data: a clear answer, nothing changes.
      std::string withdrawLink = HttpClient::extractLink(patMail->body, kHome + "/withdraw/");
      CHECK(world.server.client().get(withdrawLink).status == 404);
    }
  }
}

TEST_CASE("a large pending count is read at most once a second and a small one stays exact") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open");
      std::string petition = kApi + "/" + std::to_string(id);
      auto addPending = [&](int from, int to) {
        world.execute(
            "INSERT INTO petitions_signatures (petition_id, email, email_key, name, token, token_expires_at, "
            "mailed_at, created_at) WITH RECURSIVE n(i) AS (SELECT " +
            std::to_string(from) + " UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(to) + ") SELECT " +
            std::to_string(id) +
            ", 'p' || i || '@example.org', 'p' || i || '@example.org', 'P', 'token-' || i, 9999999999, 0, 0 FROM n");
      };
      HttpClient visitor = world.server.client();
      auto has = [](const std::string& body, const std::string& part) { return body.find(part) != std::string::npos; };
      addPending(1, 10);
      CHECK(has(visitor.get(petition).body, "\"pending\":10"));
      addPending(11, 12);
      CHECK(has(visitor.get(petition).body, "\"pending\":12"));  // small: exact at once

      addPending(13, 1500);
      auto read = std::chrono::steady_clock::now();
      CHECK(has(visitor.get(petition).body, "\"pending\":1500"));
      addPending(1501, 1510);
      auto again = visitor.get(petition);
      if (std::chrono::steady_clock::now() - read < 900ms) {
        CHECK(has(again.body, "\"pending\":1500"));  // large: the last reading, for a second
      } else {
        MESSAGE("the machine was too slow to see the kept reading");
      }
      std::this_thread::sleep_for(1100ms);
      CHECK(has(visitor.get(petition).body, "\"pending\":1510"));
    }
  }
}

TEST_CASE("the daily job erases on its association's erase_months, also changed with no petition saved since") {
  // The job runs at federation level and reads each association's setting
  // (SDK 1.3 settingsFor), not the default (6).
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      auto& store = world.server.app().plugins().store();
      store.saveSettings("petitions", world.associationId, {{"erase_months", "2"}});
      long long id = world.create("open");
      // Its deadline passes tomorrow: the run in two days notes it, and
      // neither run is two months after it (nothing is erased).
      long long now = ruche::storage::nowSeconds();
      std::time_t tomorrow = static_cast<std::time_t>(now + 86400);
      char deadline[16];
      std::strftime(deadline, sizeof deadline, "%Y-%m-%d", std::gmtime(&tomorrow));
      world.execute("UPDATE petitions_petitions SET deadline = '" + std::string(deadline) +
                    "' WHERE id = " + std::to_string(id));
      world.server.app().jobs().runDue(now + 2 * 86400);
      std::string months = "SELECT erase_months FROM petitions_retention WHERE petition_id = " + std::to_string(id);
      CHECK(world.count(months) == 2);

      // Changed in the admin panel only: the next run uses the new value.
      store.saveSettings("petitions", world.associationId, {{"erase_months", "3"}});
      world.server.app().jobs().runDue(now + 4 * 86400);
      CHECK(world.count(months) == 3);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_retention WHERE erased_at IS NULL") == 1);
    }
  }
}

TEST_CASE("the forget_ip_hits job drops petition signing attempts older than the window") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open");
      REQUIRE(world.sign(id, {{"name", "Ana"}, {"email", "ana@example.org"}}).status == 303);
      world.execute("INSERT INTO petitions_ip_counts (petition_id, ip, window_start, n) VALUES (" + std::to_string(id) +
                    ", '192.0.2.1', 1000, 1)");
      CHECK(world.count("SELECT COUNT(*) FROM petitions_ip_counts") == 2);
      world.server.app().jobs().runDue(ruche::storage::nowSeconds() + 2 * 3600);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_ip_counts WHERE window_start = 1000") == 0);
    }
  }
}

TEST_CASE("a person's petition signatures are in their data export and withdrawn with their account") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open", {{"ask_postcode", "1"}});
      world.signAndConfirm(id, {{"name", "Ana Lopez"}, {"email", "Ana@Example.org"}, {"postcode", "75011"}});
      world.signAndConfirm(id, {{"name", "Other"}, {"email", "other@example.org"}, {"postcode", "13001"}});
      REQUIRE(world.confirmed(id) == 2);
      long long account = world.server.createAccount("ana@example.org", kPassword, "Ana");

      auto parts = world.server.app().plugins().exportPersonalData(account, "ana@example.org");
      REQUIRE(parts.count("petitions") == 1);
      CHECK(parts["petitions"].find("\"petition_title\":\"Sauvons le verger\"") != std::string::npos);
      CHECK(parts["petitions"].find("\"postcode\":\"75011\"") != std::string::npos);
      CHECK(parts["petitions"].find("Ana Lopez") != std::string::npos);
      CHECK(parts["petitions"].find("other@example.org") == std::string::npos);
      HttpClient ana = world.server.signedIn("ana@example.org", kPassword);
      auto download = ana.get("/me/data");
      REQUIRE(download.status == 200);
      CHECK(download.body.find("Ana Lopez") != std::string::npos);

      auto deleted = ana.postFormWithCsrf("/me/delete", "/me/delete", {{"confirm", "ana@example.org"}});
      CHECK(deleted.status == 303);
      CHECK(world.confirmed(id) == 1);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE name = 'Ana Lopez' OR email_key = "
                        "'ana@example.org'") == 0);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE email = 'other@example.org'") == 1);
      auto after = world.server.app().plugins().exportPersonalData(account, "ana@example.org");
      CHECK(after["petitions"] == R"({"signatures":[]})");
    }
  }
}

TEST_CASE("the petition delivery report counts confirmed signatures by postcode area and country, in HTML and CSV") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open", {{"ask_postcode", "1"}, {"ask_country", "1"}});
      auto add = [&](int n, const std::string& postcode, const std::string& country, bool confirmed) {
        std::string email = "r" + std::to_string(n) + "@example.org";
        world.execute(
            "INSERT INTO petitions_signatures (petition_id, email, email_key, name, postcode, country, token, "
            "token_expires_at, mailed_at, created_at, confirmed_at) VALUES (" +
            std::to_string(id) + ", '" + email + "', '" + email + "', 'R', '" + postcode + "', '" + country + "', 'h" +
            std::to_string(n) + "', 4102444800, 0, 0, " + (confirmed ? "1" : "NULL") + ")");
      };
      add(1, "75011", "France", true);
      add(2, "75002", "france", true);
      add(3, "93100", "France", true);
      add(4, "1000", "Belgique", true);
      add(5, "13001", "France", false);  // pending: not in the report

      std::string base = kHome + "/manage/" + std::to_string(id);
      auto list = world.coordinator.get(kHome + "/manage");
      CHECK(list.body.find("href=\"" + base + "/report\">Rapport de remise</a>") != std::string::npos);
      CHECK(list.body.find("href=\"" + base + "/updates\">Nouvelles</a>") != std::string::npos);
      auto html = world.coordinator.get(base + "/report");
      REQUIRE(html.status == 200);
      CHECK(html.body.find("<h1>Rapport de remise</h1>") != std::string::npos);
      CHECK(html.body.find("<th scope=\"col\">Zone de code postal</th>") != std::string::npos);
      CHECK(html.body.find("<th scope=\"row\">75</th><td>2</td>") != std::string::npos);
      CHECK(html.body.find("<th scope=\"row\">93</th><td>1</td>") != std::string::npos);
      CHECK(html.body.find("<th scope=\"row\">Autre (étranger, ou sans code postal)</th><td>1</td>") !=
            std::string::npos);
      CHECK(html.body.find("<th scope=\"row\">France</th><td>3</td>") != std::string::npos);
      CHECK(html.body.find("<th scope=\"row\">13</th>") == std::string::npos);

      auto csv = world.coordinator.get(base + "/report.csv");
      REQUIRE(csv.status == 200);
      CHECK(csv.header("content-type").find("text/csv") == 0);
      CHECK(csv.body ==
            "kind,label,count\r\npostcode_area,75,2\r\npostcode_area,93,1\r\npostcode_area,other,1\r\n"
            "country,France,3\r\ncountry,Belgique,1\r\n");

      CHECK(world.server.client().get(base + "/report").status != 200);
      CHECK(world.server.client().get(base + "/report.csv").status != 200);
      HttpClient other = world.server.client();
      long long otherAssociation = world.server.createAssociation("ruche-autre", "Autre");
      world.server.app().plugins().store().setEnabled("petitions", otherAssociation, true);
      long long otherId = world.server.createAccount("other@example.org", kPassword, "Oscar");
      world.server.grantRole(otherId, otherAssociation, "coordinator");
      other = world.server.signedIn("other@example.org", kPassword);
      CHECK(other.get("/a/ruche-autre/petitions/manage/" + std::to_string(id) + "/report").status == 404);
    }
  }
}

TEST_CASE("the petitions JSON API lists, signs with the form's checks, refuses bad input unchanged, and reports") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open", {{"ask_postcode", "1"}});
      long long draft = world.create("draft");
      long long closed = world.create("open");  // a petition is born draft or open, then closes
      world.setStatus(closed, "closed");

      HttpClient api = world.server.client();
      auto list = api.get(kApi);
      REQUIRE(list.status == 200);
      CHECK(list.body.find("\"id\":" + std::to_string(id) + ",") != std::string::npos);
      CHECK(list.body.find("\"id\":" + std::to_string(draft) + ",") == std::string::npos);
      CHECK(list.body.find("\"id\":" + std::to_string(closed) + ",") == std::string::npos);
      auto one = api.get(kApi + "/" + std::to_string(id));
      REQUIRE(one.status == 200);
      CHECK(one.body.find("\"confirmed\":0") != std::string::npos);
      CHECK(one.body.find("\"pending\":0") != std::string::npos);
      CHECK(one.body.find("\"fields\":[\"name\",\"email\",\"postcode\",\"keep_informed\"]") != std::string::npos);
      CHECK(api.get(kApi + "/" + std::to_string(draft)).status == 404);

      // An anonymous JSON POST from a browser carries the CSRF cookie's token.
      REQUIRE(api.cookie("ruche_csrf"));
      HttpClient::Headers csrf = {{"X-CSRF-Token", *api.cookie("ruche_csrf")}};
      std::string sign = kApi + "/" + std::to_string(id) + "/signatures";
      auto unchanged = [&] {
        CHECK(world.signatures() == 0);
        CHECK(world.confirmed(id) == 0);
      };
      auto malformed = api.postJson(sign, R"({"name": "Ana", "email": "ana@", "postcode": "75011"})", csrf);
      CHECK(malformed.status == 422);
      CHECK(malformed.header("content-type").find("application/problem+json") == 0);
      CHECK(malformed.body.find("\"pointer\":\"/email\"") != std::string::npos);
      unchanged();
      auto oversized = api.postJson(
          sign, R"({"name": ")" + std::string(121, 'n') + R"(", "email": "ana@example.org", "postcode": "75011"})",
          csrf);
      CHECK(oversized.status == 422);
      CHECK(oversized.body.find("\"pointer\":\"/name\"") != std::string::npos);
      auto missing = api.postJson(sign, R"({"name": "Ana", "email": "ana@example.org"})", csrf);
      CHECK(missing.status == 422);
      CHECK(missing.body.find("\"pointer\":\"/postcode\"") != std::string::npos);
      auto wrongType = api.postJson(sign, R"({"name": 3, "email": "ana@example.org", "postcode": "75011"})", csrf);
      CHECK(wrongType.status == 422);
      CHECK(wrongType.body.find("\"pointer\":\"/name\"") != std::string::npos);
      CHECK(api.postJson(sign, "{not json", csrf).status == 400);
      auto toClosed = api.postJson(kApi + "/" + std::to_string(closed) + "/signatures",
                                   R"({"name": "Ana", "email": "ana@example.org"})", csrf);
      CHECK(toClosed.status == 409);
      CHECK(toClosed.body.find("closed") != std::string::npos);
      CHECK(api.postJson(kApi + "/" + std::to_string(draft) + "/signatures",
                         R"({"name": "Ana", "email": "ana@example.org"})", csrf)
                .status == 404);
      unchanged();
      CHECK_FALSE(world.server.smtp().waitForMessage("ana@example.org", 300ms));

      std::string good = R"({"name": "Ana", "email": "Ana@Example.org", "postcode": "75011", "keep_informed": true})";
      auto accepted = api.postJson(sign, good, csrf);
      REQUIRE(accepted.status == 202);
      CHECK(accepted.body.find("\"status\":\"pending_confirmation\"") != std::string::npos);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE consent = 1 AND confirmed_at IS NULL") == 1);
      auto mail = world.server.smtp().waitForMessage("Ana@example.org", 10s);
      REQUIRE(mail);
      CHECK(mail->body.find(kHome + "/withdraw/") != std::string::npos);

      // The same address again, in another case: 409, nothing changes, no mail.
      auto pendingAgain =
          api.postJson(sign, R"({"name": "Ana", "email": "ana@example.org", "postcode": "75011"})", csrf);
      CHECK(pendingAgain.status == 409);
      CHECK(pendingAgain.body.find("\"pointer\":\"/email\"") != std::string::npos);
      CHECK(world.signatures() == 1);
      std::string link = HttpClient::extractLink(mail->body, kHome + "/confirm/");
      HttpClient signer = world.server.client();
      REQUIRE(signer.postFormWithCsrf(link, link, {}).status == 303);
      auto duplicate = api.postJson(sign, good, csrf);
      CHECK(duplicate.status == 409);
      CHECK(duplicate.body.find("already signed") != std::string::npos);
      CHECK(world.signatures() == 1);
      CHECK(world.confirmed(id) == 1);
      CHECK_FALSE(world.server.smtp().waitForMessage("ana@example.org", 300ms));
      CHECK(api.get(kApi + "/" + std::to_string(id)).body.find("\"confirmed\":1") != std::string::npos);

      // Coordinators' routes, with an API token.
      HttpClient::Headers bearer = {
          {"Authorization", "Bearer " + world.server.services().apiTokens.create(world.coordinatorId, "script")}};
      auto count = api.get(kApi + "/" + std::to_string(id) + "/signatures/count", bearer);
      REQUIRE(count.status == 200);
      CHECK(count.body.find("\"confirmed\":1") != std::string::npos);
      CHECK(count.body.find("\"withdrawn\":0") != std::string::npos);
      auto report = api.get(kApi + "/" + std::to_string(id) + "/report", bearer);
      REQUIRE(report.status == 200);
      CHECK(report.body.find(R"({"area":"75","count":1})") != std::string::npos);
      CHECK(world.server.client().get(kApi + "/" + std::to_string(id) + "/report").status == 401);
      CHECK(world.server.client().get(kApi + "/" + std::to_string(id) + "/signatures/count").status == 401);
    }
  }
}

TEST_CASE("the petitions JSON API confirms and withdraws by the mailed tokens, refusing expired and replayed ones") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open");
      HttpClient api = world.server.client();
      api.get(kApi);
      REQUIRE(api.cookie("ruche_csrf"));
      HttpClient::Headers csrf = {{"X-CSRF-Token", *api.cookie("ruche_csrf")}};
      auto tokensFor = [&](const std::string& email) {
        auto mail = world.server.smtp().waitForMessage(email, 10s);
        REQUIRE(mail);
        return std::pair{tokenOf(HttpClient::extractLink(mail->body, kHome + "/confirm/")),
                         tokenOf(HttpClient::extractLink(mail->body, kHome + "/withdraw/"))};
      };
      std::string sign = kApi + "/" + std::to_string(id) + "/signatures";
      REQUIRE(api.postJson(sign, R"({"name": "Ana", "email": "ana@example.org"})", csrf).status == 202);
      auto [confirmToken, withdrawToken] = tokensFor("ana@example.org");

      auto unknown = api.post(kApi + "/confirmations/nosuchtoken", "", "application/json", csrf);
      CHECK(unknown.status == 404);
      CHECK(unknown.header("content-type").find("application/problem+json") == 0);

      // Expired: a clear 410, nothing counted.
      world.execute("UPDATE petitions_signatures SET token_expires_at = token_expires_at - 49 * 3600");
      auto expired = api.post(kApi + "/confirmations/" + confirmToken, "", "application/json", csrf);
      CHECK(expired.status == 410);
      CHECK(expired.body.find("expired") != std::string::npos);
      CHECK(world.confirmed(id) == 0);
      world.execute("UPDATE petitions_signatures SET token_expires_at = token_expires_at + 49 * 3600");

      auto confirmed = api.post(kApi + "/confirmations/" + confirmToken, "", "application/json", csrf);
      CHECK(confirmed.status == 200);
      CHECK(confirmed.body.find("\"status\":\"confirmed\"") != std::string::npos);
      CHECK(world.confirmed(id) == 1);
      auto replayed = api.post(kApi + "/confirmations/" + confirmToken, "", "application/json", csrf);
      CHECK(replayed.status == 409);
      CHECK(world.confirmed(id) == 1);
      CHECK(world.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'petitions.signed'") == 1);

      auto withdrawn = api.post(kApi + "/withdrawals/" + withdrawToken, "", "application/json", csrf);
      CHECK(withdrawn.status == 200);
      CHECK(withdrawn.body.find("\"status\":\"withdrawn\"") != std::string::npos);
      CHECK(world.confirmed(id) == 0);
      auto again = api.post(kApi + "/withdrawals/" + withdrawToken, "", "application/json", csrf);
      CHECK(again.status == 200);
      CHECK(again.body.find("\"status\":\"already_withdrawn\"") != std::string::npos);
      CHECK(world.confirmed(id) == 0);
      CHECK(api.post(kApi + "/withdrawals/nosuchtoken", "", "application/json", csrf).status == 404);
      auto afterWithdrawal = api.post(kApi + "/confirmations/" + confirmToken, "", "application/json", csrf);
      CHECK(afterWithdrawal.status == 410);
      CHECK(world.confirmed(id) == 0);
    }
  }
}

TEST_CASE("concurrent withdrawals of one petition signature uncount it exactly once") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      DataWorld world(backend);
      long long id = world.create("open");
      world.signAndConfirm(id, {{"name", "Ana"}, {"email", "ana@example.org"}});
      auto mail = world.signAndConfirm(id, {{"name", "Bo"}, {"email", "bo@example.org"}});
      REQUIRE(world.confirmed(id) == 2);
      std::string link = HttpClient::extractLink(mail.body, kHome + "/withdraw/");
      constexpr int kClicks = 6;
      std::vector<HttpClient> clients;
      std::vector<std::string> csrf;
      for (int i = 0; i < kClicks; ++i) {
        clients.push_back(world.server.client());
        auto ask = clients.back().get(link);
        REQUIRE(ask.status == 200);
        csrf.push_back(HttpClient::csrfFrom(ask.body));
      }
      std::vector<int> statuses(kClicks, 0);
      std::vector<std::thread> threads;
      for (int i = 0; i < kClicks; ++i) {
        threads.emplace_back([&, i] {
          try {
            statuses[i] =
                clients[i]
                    .post(link, HttpClient::formEncode({{"_csrf", csrf[i]}}), "application/x-www-form-urlencoded")
                    .status;
          } catch (const std::exception&) {
            statuses[i] = -1;
          }
        });
      }
      for (auto& thread : threads) {
        thread.join();
      }
      int withdrew = 0;
      for (int i = 0; i < kClicks; ++i) {
        CAPTURE(i);
        CHECK((statuses[i] == 303 || statuses[i] == 200));
        withdrew += statuses[i] == 303 ? 1 : 0;
      }
      CHECK(withdrew == 1);
      CHECK(world.confirmed(id) == 1);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_counters WHERE n < 0") == 0);
      CHECK(world.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'petitions.withdrawn'") == 1);
    }
  }
}
