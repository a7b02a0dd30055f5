// The petitions plugin (plugins/petitions) loaded into a real server, on
// both backends, with the SMTP sink: coordinators write petitions, the
// public signs without an account and confirms by e-mail, each signature
// is counted once; bad input gets a clear answer and changes nothing.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
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
const std::string kHome = "/a/ruche-petitions/petitions";

/// A server with the petitions plugin on in one association, and a
/// coordinator signed in.
struct World {
  explicit World(Backend backend)
      : server(backend, TestServer::withPlugins(plugins.path(), {"petitions"})), coordinator(server.client()) {
    associationId = server.createAssociation("ruche-petitions", "Pétitionnaires");
    server.app().plugins().store().setEnabled("petitions", associationId, true);
    long long coordinatorId = server.createAccount("coord@example.org", kPassword, "Camille");
    server.grantRole(coordinatorId, associationId, "coordinator");
    coordinator = server.signedIn("coord@example.org", kPassword);
  }

  /// Creates a petition through the coordinators' form; returns its id.
  long long create(const std::string& status, HttpClient::FormFields more = {}) {
    HttpClient::FormFields fields = {{"title", "Sauvons le rucher"},
                                     {"body", "Premier paragraphe.\n\nSecond paragraphe."},
                                     {"addressee", "La mairie"},
                                     {"goal", "1000"},
                                     {"status", status},
                                     {"consent_text", "Tenez-moi informé·e"}};
    for (auto& field : more) {
      fields.push_back(field);
    }
    auto created = coordinator.postFormWithCsrf(kHome + "/manage/new", kHome + "/manage/new", fields);
    REQUIRE(created.status == 303);
    CHECK(created.header("location") == kHome + "/manage?saved=1");
    return count("SELECT MAX(id) FROM petitions_petitions");
  }

  long long count(const std::string& sql) { return server.scalar(sql); }

  /// The plugin mails queued so far: sendMails puts a list in each event.
  long long queuedMails() {
    bool postgres = server.services().db.backend() == ruche::storage::Backend::Postgres;
    return count(std::string("SELECT COALESCE(SUM(") +
                 (postgres ? "json_array_length(payload::json -> 'mails')" : "json_array_length(payload, '$.mails')") +
                 "), 0) FROM event_outbox WHERE topic = 'plugin.mails'");
  }

  void execute(const std::string& sql) { server.execute(sql); }

  std::string page(long long id) const { return kHome + "/" + std::to_string(id); }

  /// Signs as the public from a fresh client; returns the answer.
  HttpResponse sign(long long id, HttpClient::FormFields fields) {
    HttpClient visitor = server.client();
    return visitor.postFormWithCsrf(page(id) + "/sign", page(id), std::move(fields));
  }

  long long confirmed(long long id) {
    return count("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM petitions_counters WHERE petition_id = " +
                 std::to_string(id));
  }

  TempDir plugins;
  TestServer server;
  HttpClient coordinator;
  long long associationId = 0;
};

}  // namespace

TEST_CASE("a petition is created, signed without an account, confirmed by mail and counted once") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open", {{"ask_postcode", "1"}});
      CHECK(world.count("SELECT COUNT(*) FROM petitions_counters") == 16);

      auto list = world.coordinator.get(kHome + "/manage");
      CHECK(list.status == 200);
      CHECK(list.body.find("Sauvons le rucher") != std::string::npos);

      auto shown = world.server.client().get(world.page(id));
      REQUIRE(shown.status == 200);
      CHECK(shown.body.find("<h1>Sauvons le rucher</h1>") != std::string::npos);
      CHECK(shown.body.find("<p>Premier paragraphe.</p>") != std::string::npos);
      CHECK(shown.body.find("La mairie") != std::string::npos);
      CHECK(shown.body.find("0 signature confirmée") != std::string::npos);
      CHECK(shown.body.find("name=\"postcode\"") != std::string::npos);
      CHECK(shown.body.find("name=\"country\"") == std::string::npos);
      CHECK(shown.body.find("Tenez-moi informé·e") != std::string::npos);

      auto signedUp = world.sign(
          id, {{"name", "Ana Lopez"}, {"email", " Ana@Example.ORG "}, {"postcode", "75011"}, {"consent", "1"}});
      REQUIRE(signedUp.status == 303);
      CHECK(signedUp.header("location") == world.page(id) + "?signed=check");
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE email = 'Ana@example.org' AND "
                        "email_key = 'ana@example.org' AND confirmed_at IS NULL") == 1);
      auto pending = world.server.client().get(world.page(id) + "?signed=check");
      CHECK(pending.body.find("Consultez votre messagerie") != std::string::npos);
      CHECK(pending.body.find("1 signature en attente de confirmation") != std::string::npos);

      auto mail = world.server.smtp().waitForMessage("Ana@example.org", 10s);
      REQUIRE(mail);
      CHECK(mail->subject == "Confirmez votre signature");
      CHECK(mail->body.find("Sauvons le rucher") != std::string::npos);
      CHECK(mail->body.find("48 heures") != std::string::npos);
      std::string link = HttpClient::extractLink(mail->body, kHome + "/confirm/");
      CHECK(mail->body.find("http://") != std::string::npos);

      // Following the link (as a mail scanner would) confirms nothing.
      HttpClient signer = world.server.client();
      auto ask = signer.get(link);
      REQUIRE(ask.status == 200);
      CHECK(ask.body.find("Je confirme ma signature") != std::string::npos);
      CHECK(world.confirmed(id) == 0);

      auto confirmed = signer.postFormWithCsrf(link, link, {});
      REQUIRE(confirmed.status == 303);
      CHECK(confirmed.header("location") == world.page(id) + "?signed=confirmed");
      CHECK(world.confirmed(id) == 1);
      CHECK(world.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'petitions.signed'") == 1);
      auto counted = signer.followRedirect(confirmed);
      CHECK(counted.body.find("1 signature confirmée") != std::string::npos);
      CHECK(counted.body.find("0 signature en attente") != std::string::npos);

      // The same link again: already used, counted once.
      auto again = signer.post(link, HttpClient::formEncode({{"_csrf", HttpClient::csrfFrom(ask.body)}}),
                               "application/x-www-form-urlencoded");
      CHECK(again.status == 409);
      CHECK(again.body.find("déjà confirmée") != std::string::npos);
      CHECK(signer.get(link).status == 409);
      CHECK(world.confirmed(id) == 1);

      // The same address, in another case: already counted, nothing changes, no mail.
      auto duplicate = world.sign(id, {{"name", "Ana bis"}, {"email", "ana@example.org"}, {"postcode", "75012"}});
      CHECK(duplicate.status == 303);
      CHECK(duplicate.header("location") == world.page(id) + "?signed=already");
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures") == 1);
      CHECK(world.confirmed(id) == 1);
      CHECK_FALSE(world.server.smtp().waitForMessage("ana@example.org", 300ms));

      CHECK(world.server.client().get(kHome + "/confirm/nosuchtoken").status == 404);
    }
  }
}

TEST_CASE("a pending petition signer who signs again gets no duplicate row, and the link again only after a while") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open");
      CHECK(world.sign(id, {{"name", "Zoé"}, {"email", "zoe@example.org"}}).status == 303);
      REQUIRE(world.server.smtp().waitForMessage("zoe@example.org", 10s));

      auto soon = world.sign(id, {{"name", "Zoé"}, {"email", "ZOE@example.org"}});
      CHECK(soon.header("location") == world.page(id) + "?signed=recent");
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures") == 1);

      world.execute("UPDATE petitions_signatures SET mailed_at = mailed_at - 3600");
      auto later = world.sign(id, {{"name", "Zoé"}, {"email", "zoe@example.org"}});
      CHECK(later.header("location") == world.page(id) + "?signed=check");
      auto resent = world.server.smtp().waitForMessage("zoe@example.org", 10s);
      REQUIRE(resent);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures") == 1);
    }
  }
}

TEST_CASE("an expired petition confirmation link confirms nothing") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open");
      REQUIRE(world.sign(id, {{"name", "Léa"}, {"email", "lea@example.org"}}).status == 303);
      auto mail = world.server.smtp().waitForMessage("lea@example.org", 10s);
      REQUIRE(mail);
      std::string link = HttpClient::extractLink(mail->body, kHome + "/confirm/");
      HttpClient signer = world.server.client();
      auto ask = signer.get(link);
      REQUIRE(ask.status == 200);

      world.execute("UPDATE petitions_signatures SET token_expires_at = token_expires_at - 49 * 3600");
      auto expired = signer.get(link);
      CHECK(expired.status == 410);
      CHECK(expired.body.find("a expiré") != std::string::npos);
      auto refused = signer.post(link, HttpClient::formEncode({{"_csrf", HttpClient::csrfFrom(ask.body)}}),
                                 "application/x-www-form-urlencoded");
      CHECK(refused.status == 410);
      CHECK(world.confirmed(id) == 0);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE confirmed_at IS NOT NULL") == 0);
      CHECK(world.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'petitions.signed'") == 0);

      // Signing again sends a new link, which works.
      CHECK(world.sign(id, {{"name", "Léa"}, {"email", "lea@example.org"}}).header("location") ==
            world.page(id) + "?signed=check");
      auto fresh = world.server.smtp().waitForMessage("lea@example.org", 10s);
      REQUIRE(fresh);
      std::string newLink = HttpClient::extractLink(fresh->body, kHome + "/confirm/");
      CHECK(newLink != link);
      // The old link is dead (its secret was replaced), the new one works.
      CHECK(signer.get(link).status == 404);
      CHECK(signer.postFormWithCsrf(newLink, newLink, {}).status == 303);
      CHECK(world.confirmed(id) == 1);

      // Both mails' withdrawal links lead to the signature: the first one's
      // names the row, the second one's is a row of petitions_links.
      std::string firstWithdraw = HttpClient::extractLink(mail->body, kHome + "/withdraw/");
      std::string secondWithdraw = HttpClient::extractLink(fresh->body, kHome + "/withdraw/");
      CHECK(firstWithdraw != secondWithdraw);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_links") == 1);
      CHECK(signer.get(secondWithdraw).status == 200);
      REQUIRE(signer.postFormWithCsrf(firstWithdraw, firstWithdraw, {}).status == 303);
      CHECK(world.confirmed(id) == 0);
      CHECK(signer.get(secondWithdraw).body.find("déjà") != std::string::npos);
    }
  }
}

TEST_CASE("a draft petition is 404 to the public and a closed one refuses signatures") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long draft = world.create("draft");
      HttpClient visitor = world.server.client();
      auto hidden = visitor.get(world.page(draft));
      CHECK(hidden.status == 404);
      CHECK(hidden.body.find("Cette pétition n’existe pas.") != std::string::npos);  // in the page's language
      auto signDraft = visitor.postFormWithCsrf(world.page(draft) + "/sign", "/login",
                                                {{"name", "Ana"}, {"email", "ana@example.org"}});
      CHECK(signDraft.status == 404);
      CHECK(visitor.get(kHome + "/999999").status == 404);
      CHECK(visitor.get(kHome + "/abc").status == 404);

      long long id = world.create("open");
      auto edited = world.coordinator.postFormWithCsrf(kHome + "/manage/" + std::to_string(id),
                                                       kHome + "/manage/" + std::to_string(id),
                                                       {{"title", "Sauvons le rucher"},
                                                        {"body", "Texte."},
                                                        {"addressee", "La mairie"},
                                                        {"goal", "10"},
                                                        {"status", "closed"}});
      CHECK(edited.status == 303);
      auto closed = visitor.get(world.page(id));
      CHECK(closed.status == 200);
      CHECK(closed.body.find("Cette pétition est close") != std::string::npos);
      CHECK(closed.body.find("/sign\"") == std::string::npos);
      auto refused =
          visitor.postFormWithCsrf(world.page(id) + "/sign", "/login", {{"name", "Ana"}, {"email", "ana@example.org"}});
      CHECK(refused.status == 409);
      CHECK(refused.body.find("Cette pétition est close") != std::string::npos);

      long long past = world.create("open", {{"deadline", "2001-01-01"}});
      auto late = visitor.postFormWithCsrf(world.page(past) + "/sign", "/login",
                                           {{"name", "Ana"}, {"email", "ana@example.org"}});
      CHECK(late.status == 409);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures") == 0);
      CHECK_FALSE(world.server.smtp().waitForMessage("ana@example.org", 300ms));
    }
  }
}

TEST_CASE("coordinators get field errors for an invalid petition, and only they reach the manage pages") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      auto invalid = world.coordinator.postFormWithCsrf(kHome + "/manage/new", kHome + "/manage/new",
                                                        {{"title", std::string(201, 'x')},
                                                         {"body", ""},
                                                         {"addressee", "La mairie"},
                                                         {"goal", "0"},
                                                         {"deadline", "2024-02-30"},
                                                         {"status", "published"}});
      CHECK(invalid.status == 422);
      CHECK(invalid.body.find("Ce texte est trop long.") != std::string::npos);
      CHECK(invalid.body.find("Ce champ est obligatoire.") != std::string::npos);
      CHECK(invalid.body.find("L’objectif est un nombre entier") != std::string::npos);
      CHECK(invalid.body.find("La date s’écrit AAAA-MM-JJ") != std::string::npos);
      CHECK(invalid.body.find("Choisissez brouillon, ouverte ou close.") != std::string::npos);
      CHECK(invalid.body.find("aria-invalid=\"true\" aria-describedby=\"goal-error\"") != std::string::npos);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_petitions") == 0);

      CHECK(world.server.client().get(kHome + "/manage").status != 200);
      long long volunteerId = world.server.createAccount("vol@example.org", kPassword, "Vera");
      world.server.grantRole(volunteerId, world.associationId, "volunteer");
      HttpClient volunteer = world.server.signedIn("vol@example.org", kPassword);
      CHECK(volunteer.get(kHome + "/manage").status == 403);

      // Another association's coordinator does not see this one's petition.
      long long id = world.create("open");
      long long otherAssociation = world.server.createAssociation("ruche-autre", "Autre");
      world.server.app().plugins().store().setEnabled("petitions", otherAssociation, true);
      long long otherId = world.server.createAccount("other@example.org", kPassword, "Oscar");
      world.server.grantRole(otherId, otherAssociation, "coordinator");
      HttpClient other = world.server.signedIn("other@example.org", kPassword);
      CHECK(other.get("/a/ruche-autre/petitions/manage/" + std::to_string(id)).status == 404);
      CHECK(other.get("/a/ruche-autre/petitions/" + std::to_string(id)).status == 404);
    }
  }
}

TEST_CASE("a signature whose text holds a NUL byte is refused and stores nothing") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open");
      auto bad = world.sign(id, {{"name", std::string("Ana\0Bot", 7)}, {"email", "ana@example.org"}});
      CHECK(bad.status == 422);
      CHECK(bad.body.find("Ce texte contient un caractère non autorisé.") != std::string::npos);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures") == 0);
    }
  }
}

TEST_CASE("petition signing refuses bad input, a filled honeypot and too many signatures from one address") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open", {{"ask_country", "1"}});

      auto bad = world.sign(id, {{"name", std::string(121, 'n')}, {"email", "ana@"}, {"country", ""}});
      CHECK(bad.status == 422);
      CHECK(bad.body.find("Cette adresse e-mail n’est pas valide.") != std::string::npos);
      CHECK(bad.body.find("Ce texte est trop long.") != std::string::npos);
      CHECK(bad.body.find("Ce champ est obligatoire.") != std::string::npos);
      CHECK(bad.body.find("value=\"ana@\"") != std::string::npos);

      auto bot = world.sign(
          id,
          {{"name", "Bot"}, {"email", "bot@example.org"}, {"country", "FR"}, {"leave_empty", "http://spam.example"}});
      CHECK(bot.status == 422);
      CHECK(bot.body.find("repérer les robots") != std::string::npos);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures") == 0);
      CHECK_FALSE(world.server.smtp().waitForMessage("bot@example.org", 300ms));

      // The 422 above counted once towards the limit (10 per 10 minutes).
      for (int i = 0; i < 9; ++i) {
        auto ok = world.sign(
            id, {{"name", "Signer"}, {"email", "s" + std::to_string(i) + "@example.org"}, {"country", "France"}});
        CHECK(ok.status == 303);
      }
      auto limited = world.sign(id, {{"name", "Signer"}, {"email", "late@example.org"}, {"country", "France"}});
      CHECK(limited.status == 429);
      // The form again, in the page's language, with what was typed.
      CHECK(limited.body.find("Trop de signatures depuis votre adresse réseau") != std::string::npos);
      CHECK(limited.body.find("value=\"late@example.org\"") != std::string::npos);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures") == 9);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE email = 'late@example.org'") == 0);

      // Once the window has passed, the address may sign again.
      world.execute("UPDATE petitions_ip_counts SET window_start = window_start - 601");
      CHECK(world.sign(id, {{"name", "Signer"}, {"email", "late@example.org"}, {"country", "France"}}).status == 303);
    }
  }
}

TEST_CASE(
    "the petition CSV export has only confirmed signatures, the fields asked and consent, quoted and formula-safe") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open", {{"ask_comment", "1"}});
      auto confirmWith = [&](const std::string& name, const std::string& email, const std::string& comment,
                             bool consent) {
        HttpClient::FormFields fields = {{"name", name}, {"email", email}, {"comment", comment}};
        if (consent) {
          fields.push_back({"consent", "1"});
        }
        REQUIRE(world.sign(id, fields).status == 303);
        auto mail = world.server.smtp().waitForMessage(email, 10s);
        REQUIRE(mail);
        std::string link = HttpClient::extractLink(mail->body, kHome + "/confirm/");
        HttpClient signer = world.server.client();
        REQUIRE(signer.postFormWithCsrf(link, link, {}).status == 303);
      };
      confirmWith("Lopez, \"Ana\"", "ana@example.org", "ligne 1\nligne 2", true);
      confirmWith("=HYPERLINK(\"http://evil\")", "eve@example.org", "+33 6 00", false);
      REQUIRE(world.sign(id, {{"name", "Pending Pete"}, {"email", "pete@example.org"}}).status == 303);

      auto csv = world.coordinator.get(kHome + "/manage/" + std::to_string(id) + "/signatures.csv");
      REQUIRE(csv.status == 200);
      CHECK(csv.header("content-type").find("text/csv") == 0);
      CHECK(csv.header("content-disposition").find("attachment") == 0);
      CHECK(csv.body.find("name,email,comment,keep_informed,confirmed_on\r\n") == 0);
      CHECK(csv.body.find("\"Lopez, \"\"Ana\"\"\",ana@example.org,\"ligne 1\nligne 2\",yes,") != std::string::npos);
      CHECK(csv.body.find("\"'=HYPERLINK(\"\"http://evil\"\")\",eve@example.org,'+33 6 00,no,") != std::string::npos);
      CHECK(csv.body.find("Pending Pete") == std::string::npos);
      CHECK(csv.body.find("postcode") == std::string::npos);
      CHECK(world.confirmed(id) == 2);

      CHECK(world.server.client().get(kHome + "/manage/" + std::to_string(id) + "/signatures.csv").status != 200);
    }
  }
}

TEST_CASE("concurrent petition confirmations are each counted once, over the counter shards") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open");
      constexpr int kSigners = 24;
      for (int i = 0; i < kSigners; ++i) {
        world.execute(
            "INSERT INTO petitions_signatures (petition_id, email, email_key, name, token, token_expires_at, "
            "mailed_at, created_at) VALUES (" +
            std::to_string(id) + ", 's" + std::to_string(i) + "@example.org', 's" + std::to_string(i) +
            "@example.org', 'S', '" + petitions::tokenHash("token" + std::to_string(i)) + "', 4102444800, 0, 0)");
      }
      // Each signer confirms their own link, and signer 0 three times at once.
      std::vector<std::string> tokens;
      for (int i = 0; i < kSigners; ++i) {
        tokens.push_back("token" + std::to_string(i));
      }
      tokens.insert(tokens.end(), {"token0", "token0"});
      // Every page first (it confirms nothing), then every POST at once.
      std::vector<HttpClient> signers;
      std::vector<std::string> csrf;
      for (const auto& token : tokens) {
        signers.push_back(world.server.client());
        auto ask = signers.back().get(kHome + "/confirm/" + token);
        REQUIRE(ask.status == 200);
        csrf.push_back(HttpClient::csrfFrom(ask.body));
      }
      CHECK(world.confirmed(id) == 0);
      std::vector<int> statuses(tokens.size(), 0);
      std::vector<std::thread> threads;
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        threads.emplace_back([&, i] {
          try {
            statuses[i] = signers[i]
                              .post(kHome + "/confirm/" + tokens[i], HttpClient::formEncode({{"_csrf", csrf[i]}}),
                                    "application/x-www-form-urlencoded")
                              .status;
          } catch (const std::exception&) {
            statuses[i] = -1;
          }
        });
      }
      for (auto& thread : threads) {
        thread.join();
      }
      int confirmedAnswers = 0;
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        CAPTURE(i);
        CHECK((statuses[i] == 303 || (tokens[i] == "token0" && statuses[i] == 409)));
        confirmedAnswers += statuses[i] == 303 ? 1 : 0;
      }
      CHECK(confirmedAnswers == kSigners);
      CHECK(world.confirmed(id) == kSigners);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE confirmed_at IS NOT NULL") == kSigners);
      CHECK(world.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'petitions.signed'") == kSigners);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_counters WHERE n > 0") > 1);
    }
  }
}

namespace {

/// Signs `emails` at once, each from a client of its own (its CSRF cookie
/// taken first) and the network address `ipOf(i)`; returns the statuses.
/// A signer's name with what a batch must keep as it is: quotes, a
/// backslash, commas and braces (array syntax on PostgreSQL), accents.
std::string trickyName(std::size_t i) {
  return "Zo\u00eb \"la ruche\" \\ n\u00b0" + std::to_string(i) + ", {a,b} NULL";
}

std::vector<int> signAtOnce(World& world, long long id, const std::vector<std::string>& emails,
                            const std::function<std::string(std::size_t)>& ipOf) {
  std::vector<HttpClient> signers;
  std::vector<std::string> csrf;
  for (std::size_t i = 0; i < emails.size(); ++i) {
    signers.push_back(world.server.client());
    auto page = signers.back().get(world.page(id));
    REQUIRE(page.status == 200);
    csrf.push_back(HttpClient::csrfFrom(page.body));
  }
  std::vector<int> statuses(emails.size(), 0);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < emails.size(); ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < static_cast<int>(emails.size())) {
        std::this_thread::yield();  // all start together, so that they meet in batches
      }
      try {
        statuses[i] =
            signers[i]
                .post(world.page(id) + "/sign",
                      HttpClient::formEncode({{"_csrf", csrf[i]}, {"name", trickyName(i)}, {"email", emails[i]}}),
                      "application/x-www-form-urlencoded", {{"X-Forwarded-For", ipOf(i)}})
                .status;
      } catch (const std::exception&) {
        statuses[i] = -1;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  return statuses;
}

}  // namespace

TEST_CASE("signatures arriving together are written in shared batches, each once with one mail, duplicates refused") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open");
      constexpr int kSigners = 40;
      std::vector<std::string> emails;
      for (int i = 0; i < kSigners; ++i) {
        emails.push_back("s" + std::to_string(i) + "@example.org");
      }
      for (int copy = 0; copy < 5; ++copy) {
        emails.push_back("Twice@Example.org");  // one person, five tabs
      }
      auto statuses = signAtOnce(world, id, emails, [](std::size_t i) { return "2001:db8::" + std::to_string(i + 1); });
      for (std::size_t i = 0; i < emails.size(); ++i) {
        CAPTURE(i);
        CHECK(statuses[i] == 303);
      }
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures") == kSigners + 1);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE email_key = 'twice@example.org'") == 1);
      // The mails' links name their rows: no link row, a withdrawal hash in each.
      CHECK(world.count("SELECT COUNT(*) FROM petitions_links") == 0);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE linked_by_id = 1 AND "
                        "LENGTH(withdraw_hash) = 64") == kSigners + 1);
      for (int i = 0; i < kSigners; i += 7) {
        CHECK(world.server.scalarText("SELECT name FROM petitions_signatures WHERE email_key = 's" + std::to_string(i) +
                                      "@example.org'") == trickyName(static_cast<std::size_t>(i)));
      }
      // One confirmation mail per stored signature: the duplicates mailed nothing.
      CHECK(world.queuedMails() == kSigners + 1);
      // All through the batches: no signer fell back to signing on their own.
      CHECK(world.count("SELECT COUNT(*) FROM event_outbox WHERE topic = 'plugin.mail'") == 0);
      for (int i = 0; i < kSigners; i += 13) {
        CHECK(world.server.smtp().waitForMessage("s" + std::to_string(i) + "@example.org", 10s));
      }
      // The one mail of the five tabs withdraws the one signature: its link
      // is the stored one (the batch joined each link to its own signer).
      auto twice = world.server.smtp().waitForMessage("twice@example.org", 10s);
      REQUIRE(twice);
      CHECK_FALSE(world.server.smtp().waitForMessage("twice@example.org", 200ms));
      std::string withdrawLink = HttpClient::extractLink(twice->body, kHome + "/withdraw/");
      HttpClient signer = world.server.client();
      REQUIRE(signer.get(withdrawLink).status == 200);
      REQUIRE(signer.postFormWithCsrf(withdrawLink, withdrawLink, {}).status == 303);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE withdrawn_at IS NOT NULL") == 1);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures WHERE email_key = 'twice@example.org'") == 0);
      if (backend == Backend::Postgres) {
        // Rows committed by one transaction share its xmin: fewer
        // transactions than signatures means they were grouped.
        long long transactions = world.count("SELECT COUNT(DISTINCT xmin::text) FROM petitions_signatures");
        CAPTURE(transactions);
        CHECK(transactions < kSigners);
      }
    }
  }
}

TEST_CASE("signatures from one address arriving together stop exactly at the per-IP limit") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open");
      std::vector<std::string> emails;
      for (int i = 0; i < 16; ++i) {
        emails.push_back("n" + std::to_string(i) + "@example.org");
      }
      auto statuses = signAtOnce(world, id, emails, [](std::size_t) { return "2001:db8::77"; });
      int accepted = 0;
      int limited = 0;
      for (int status : statuses) {
        accepted += status == 303 ? 1 : 0;
        limited += status == 429 ? 1 : 0;
      }
      CHECK(accepted == 10);  // the default ip_limit
      CHECK(limited == 6);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_signatures") == 10);
      CHECK(world.queuedMails() == 10);
    }
  }
}
