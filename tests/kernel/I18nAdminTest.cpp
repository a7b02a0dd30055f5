#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "kernel/admin/ImpactFigures.h"
#include "kernel/auth/Roles.h"
#include "kernel/storage/Database.h"
#include "kernel/themes/LocalFormat.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

const std::string kPassword = "correct horse battery";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void exec(TestServer& server, const std::string& sql) {
  server.services().db.transaction([&](soci::session& s) { s << sql; });
}

long long insertApplication(TestServer& server, long long missionId, long long accountId, const std::string& status,
                            long long createdAt) {
  long long id = 0;
  server.services().db.transaction([&](soci::session& sql) {
    sql << "INSERT INTO applications (mission_id, account_id, status, created_at, updated_at) "
           "VALUES (:m, :a, :s, :c, :u) RETURNING id",
        soci::use(missionId), soci::use(accountId), soci::use(status), soci::use(createdAt), soci::use(createdAt),
        soci::into(id);
    sql << "INSERT INTO application_events (application_id, from_status, to_status, actor_account_id, at) "
           "VALUES (:i, '', 'applied', :a, :t)",
        soci::use(id), soci::use(accountId), soci::use(createdAt);
  });
  return id;
}

void insertEvent(TestServer& server, long long applicationId, const std::string& from, const std::string& to,
                 long long actorId, long long at) {
  server.services().db.transaction([&](soci::session& sql) {
    sql << "INSERT INTO application_events (application_id, from_status, to_status, actor_account_id, at) "
           "VALUES (:i, :f, :t, :a, :at)",
        soci::use(applicationId), soci::use(from), soci::use(to), soci::use(actorId), soci::use(at);
  });
}

void insertHours(TestServer& server, long long applicationId, long long accountId, long long associationId,
                 const std::string& day, int minutes) {
  long long now = ruche::storage::nowSeconds();
  server.services().db.transaction([&](soci::session& sql) {
    sql << "INSERT INTO hours (application_id, account_id, association_id, day, minutes, status, created_at) "
           "VALUES (:p, :a, :s, :d, :m, 'validated', :c)",
        soci::use(applicationId), soci::use(accountId), soci::use(associationId), soci::use(day), soci::use(minutes),
        soci::use(now);
  });
}

std::string langOf(const std::string& body) {
  auto pos = body.find("<html lang=\"");
  return pos == std::string::npos ? "" : body.substr(pos + 12, 2);
}

std::string scalarText(TestServer& server, const std::string& sql, long long id) {
  ruche::storage::Database::Session session(server.services().db);
  std::string value;
  *session << sql, soci::use(id), soci::into(value);
  return value;
}

long long scalar(TestServer& server, const std::string& sql, long long id) {
  ruche::storage::Database::Session session(server.services().db);
  long long value = 0;
  *session << sql, soci::use(id), soci::into(value);
  return value;
}

}  // namespace

TEST_CASE("the page language is the person's saved choice, then Accept-Language, then the association's, then French") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long jardins = server.createAssociation("jardins", "Les Jardins");
      exec(server, "UPDATE associations SET default_locale = 'en' WHERE id = " + std::to_string(jardins));

      auto anonymous = server.client();
      CHECK(langOf(anonymous.get("/a/jardins").body) == "en");  // the association's default
      CHECK(langOf(anonymous.get("/a/jardins", {{"Accept-Language", "fr-FR,fr;q=0.9"}}).body) == "fr");
      CHECK(langOf(anonymous.get("/a/jardins", {{"Accept-Language", "de, es;q=0.5"}}).body) == "en");
      CHECK(langOf(anonymous.get("/a/jardins", {{"Accept-Language", "en;q=0.3, fr;q=0.8"}}).body) == "fr");
      CHECK(langOf(anonymous.get("/", {{"Accept-Language", "de"}}).body) == "fr");  // no association: French
      CHECK(langOf(anonymous.get("/", {{"Accept-Language", "de, en;q=0.2"}}).body) == "en");

      // An anonymous choice (?lang=, then its cookie) beats the browser and the association.
      CHECK(langOf(anonymous.get("/a/jardins?lang=fr").body) == "fr");
      CHECK(langOf(anonymous.get("/a/jardins", {{"Accept-Language", "en"}}).body) == "fr");

      // A signed-in person's saved language beats Accept-Language; a ?lang= they follow is saved.
      long long id = server.createAccount("vol@example.org", kPassword, "Vol");
      auto person = server.signedIn("vol@example.org", kPassword);
      CHECK(langOf(person.get("/me", {{"Accept-Language", "en"}}).body) == "fr");
      CHECK(langOf(person.get("/me?lang=en").body) == "en");
      CHECK(scalarText(server, "SELECT locale FROM accounts WHERE id = :id", id) == "en");
      CHECK(langOf(person.get("/a/jardins", {{"Accept-Language", "fr"}}).body) == "en");

      // A ?lang= from another site's link or image (or from a client that
      // does not say where it comes from: no header) shows the page in that
      // language and saves nothing on the account.
      for (const char* site : {"cross-site", "same-site", ""}) {
        CAPTURE(site);
        auto page = person.get("/me?lang=fr", {{"Sec-Fetch-Site", site}});
        CHECK(langOf(page.body) == "fr");
        CHECK(scalarText(server, "SELECT locale FROM accounts WHERE id = :id", id) == "en");
        CHECK(langOf(person.get("/me").body) == "en");
      }
      // One the person started outside any site (typed, a bookmark, a mail's link) is saved.
      CHECK(langOf(person.get("/me?lang=fr", {{"Sec-Fetch-Site", "none"}}).body) == "fr");
      CHECK(scalarText(server, "SELECT locale FROM accounts WHERE id = :id", id) == "fr");
    }
  }
}

TEST_CASE("dates on a volunteer's pages are shown in their own time zone, in their language") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long jardins = server.createAssociation("jardins", "Les Jardins");
      long long volunteer = server.createAccount("vol@example.org", kPassword, "Vol");
      long long mission = server.createMission(jardins, "Arroser");
      long long application = insertApplication(server, mission, volunteer, "applied", 1700000000);
      auto http = server.signedIn("vol@example.org", kPassword);
      std::string page = "/me/applications/" + std::to_string(application);

      CHECK(contains(http.get(page).body, "14 nov. 2023, 23:13"));  // Europe/Paris, the default
      exec(server, "UPDATE accounts SET timezone = 'America/New_York' WHERE id = " + std::to_string(volunteer));
      auto newYork = http.get(page).body;
      CHECK(contains(newYork, "14 nov. 2023, 17:13"));
      CHECK_FALSE(contains(newYork, "23:13"));
      CHECK(contains(http.get(page + "?lang=en").body, "Nov 14, 2023, 5:13"));

      // Before applying, the association's charter is shown.
      long long other = server.createMission(jardins, "Planter");
      auto apply = http.get("/missions/" + std::to_string(other) + "/apply?lang=fr");
      CHECK(apply.status == 200);
      CHECK(contains(apply.body, "respecter les personnes accompagnées"));

      // The profile form refuses a zone ICU does not know, on its field.
      auto refused = http.postFormWithCsrf("/me/profile", "/me/profile",
                                           {{"display_name", "Vol"}, {"timezone", "Europe/Lyon"}, {"locale", "fr"}});
      CHECK(refused.status == 422);
      CHECK(contains(refused.body, "id=\"timezone-error\""));
    }
  }
}

TEST_CASE("an association admin sets its default language and time zone, and an unknown zone is refused on its field") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long jardins = server.createAssociation("jardins", "Les Jardins");
      long long admin = server.createAccount("admin@example.org", kPassword, "Admin");
      server.grantRole(admin, jardins, "admin");
      auto http = server.signedIn("admin@example.org", kPassword);
      auto page = http.get("/a/jardins/manage/language");
      REQUIRE(page.status == 200);
      CHECK(contains(page.body, "<label for=\"timezone\">"));
      CHECK(contains(page.body, "<option selected>Europe/Paris</option>"));

      auto bad = http.postFormWithCsrf("/a/jardins/manage/language", "/a/jardins/manage/language",
                                       {{"default_locale", "de"}, {"timezone", "Mars/Olympus"}});
      CHECK(bad.status == 422);
      CHECK(contains(bad.body, "id=\"timezone-error\""));
      CHECK(contains(bad.body, "id=\"default_locale-error\""));

      auto saved = http.postFormWithCsrf("/a/jardins/manage/language", "/a/jardins/manage/language",
                                         {{"default_locale", "en"}, {"timezone", "America/Martinique"}});
      REQUIRE(saved.status == 303);
      CHECK(scalarText(server, "SELECT default_locale FROM associations WHERE id = :id", jardins) == "en");
      CHECK(scalarText(server, "SELECT timezone FROM associations WHERE id = :id", jardins) == "America/Martinique");
      CHECK(contains(http.followRedirect(saved).body, "role=\"status\""));
    }
  }
}

TEST_CASE("the health page shows the database, the event backlog and its age, dead letters, disk and plugins") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("admin@example.org", kPassword, "Admin", true);
      long long nowMs =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count();
      std::string created = std::to_string(nowMs - 10 * 60 * 1000);
      std::string later = std::to_string(nowMs + 60 * 60 * 1000);
      exec(server,
           "INSERT INTO event_outbox (topic, association_id, payload, created_at) VALUES ('test.one', 0, '{}', " +
               created + ")");
      long long event = scalar(server, "SELECT MAX(id) FROM event_outbox WHERE association_id = :a", 0);
      std::string e = std::to_string(event);
      exec(server, "INSERT INTO event_deliveries (event_id, subscriber, status, next_attempt_at) VALUES (" + e +
                       ", 'nobody-waits', 'pending', " + later + ")");
      exec(server, "INSERT INTO event_deliveries (event_id, subscriber, status, next_attempt_at, dead_at) VALUES (" +
                       e + ", 'nobody-died', 'dead', 0, " + created + ")");

      auto http = server.signedIn("admin@example.org", kPassword);
      auto page = http.get("/admin/health");
      REQUIRE(page.status == 200);
      CHECK(contains(page.body, "<h1>État du service</h1>"));
      CHECK(contains(page.body, "<th scope=\"row\">Base de données</th>"));
      CHECK(contains(page.body, "joignable, réponse en"));
      // Our delivery waits; the server's own may come and go meanwhile.
      CHECK(contains(page.body, " en attente. La plus ancienne attend depuis "));
      CHECK(contains(page.body, "1 livraison abandonnée."));
      CHECK(contains(page.body, "Gio libres"));
      CHECK(contains(page.body, "Certains points demandent votre attention."));  // the backlog is 10 minutes old
      auto english = http.get("/admin/health?lang=en");
      CHECK(contains(english.body, " waiting. The oldest has waited "));
      CHECK(contains(english.body, "1 dead letter."));
    }
  }
}

TEST_CASE("a test mail goes through the real mailer to the SMTP server, and a refusal is shown with its reason") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("admin@example.org", kPassword, "Admin", true);
      auto http = server.signedIn("admin@example.org", kPassword);
      auto page = http.get("/admin/mail");
      REQUIRE(page.status == 200);
      CHECK(contains(page.body, "value=\"admin@example.org\""));
      CHECK(contains(page.body, "smtp.host"));

      auto sent = http.postFormWithCsrf("/admin/mail/test", "/admin/mail", {{"to", "ops@example.org"}});
      REQUIRE(sent.status == 303);
      auto message = server.smtp().waitForMessage("ops@example.org", std::chrono::seconds(10));
      REQUIRE(message);
      CHECK(message->subject == "Ruche : e-mail de test");
      CHECK(contains(message->body, "Ruche peut envoyer des e-mails"));
      auto shown = http.followRedirect(sent);
      CHECK(contains(shown.body, "role=\"status\""));
      CHECK(contains(shown.body, "ops@example.org"));

      auto invalid = http.postFormWithCsrf("/admin/mail/test", "/admin/mail", {{"to", "not an address"}});
      CHECK(invalid.status == 422);
      CHECK(contains(invalid.body, "id=\"to-error\""));

      server.setMailServerDown(true);
      auto failed = http.postFormWithCsrf("/admin/mail/test", "/admin/mail", {{"to", "ops@example.org"}});
      CHECK(failed.status == 502);
      CHECK(contains(failed.body, "role=\"alert\""));
      CHECK(contains(failed.body, "L’e-mail de test n’est pas parti."));
    }
  }
}

TEST_CASE("a federation admin finds people, makes them federation admins, and gives and takes association roles") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long adminId = server.createAccount("admin@example.org", kPassword, "Admin", true);
      long long karim = server.createAccount("karim@example.org", kPassword, "Karim Benali");
      long long jardins = server.createAssociation("jardins", "Les Jardins");
      auto http = server.signedIn("admin@example.org", kPassword);

      auto found = http.get("/admin/people?q=BENALI");
      REQUIRE(found.status == 200);
      CHECK(contains(found.body, "1 compte trouvé."));
      CHECK(contains(found.body, "href=\"/admin/people/" + std::to_string(karim) + "\""));
      CHECK(contains(http.get("/admin/people?q=personne").body, "0 compte trouvé."));
      CHECK(contains(http.get("/admin/people?q=%25").body, "0 compte trouvé."));  // % is matched literally

      std::string base = "/admin/people/" + std::to_string(karim);
      auto made = http.postFormWithCsrf(base + "/federation-admin", base, {{"federation_admin", "1"}});
      REQUIRE(made.status == 303);
      CHECK(scalar(server, "SELECT federation_admin FROM accounts WHERE id = :id", karim) == 1);
      auto unmade = http.postFormWithCsrf(base + "/federation-admin", base, {{"federation_admin", "0"}});
      REQUIRE(unmade.status == 303);
      CHECK(scalar(server, "SELECT federation_admin FROM accounts WHERE id = :id", karim) == 0);

      std::string self = "/admin/people/" + std::to_string(adminId);
      CHECK(http.postFormWithCsrf(self + "/federation-admin", self, {{"federation_admin", "0"}}).status == 409);
      CHECK(scalar(server, "SELECT federation_admin FROM accounts WHERE id = :id", adminId) == 1);

      auto granted =
          http.postFormWithCsrf(base + "/roles", base, {{"association", "jardins"}, {"role", "coordinator"}});
      REQUIRE(granted.status == 303);
      {
        ruche::storage::Database::Session session(server.services().db);
        CHECK(ruche::auth::roleIn(*session, karim, jardins) == ruche::auth::Role::Coordinator);
      }
      auto detail = http.followRedirect(granted);
      CHECK(contains(detail.body, "<th scope=\"row\">Les Jardins</th>"));

      auto bad = http.postFormWithCsrf(base + "/roles", base, {{"association", "nowhere"}, {"role", "boss"}});
      CHECK(bad.status == 422);
      CHECK(contains(bad.body, "id=\"association-error\""));
      CHECK(contains(bad.body, "id=\"role-error\""));

      auto removed = http.postFormWithCsrf(base + "/roles/jardins/remove", base, {});
      REQUIRE(removed.status == 303);
      ruche::storage::Database::Session session(server.services().db);
      CHECK_FALSE(ruche::auth::roleIn(*session, karim, jardins).has_value());
    }
  }
}

TEST_CASE(
    "the impact dashboard draws the association's figures as accessible SVG charts with the same data in tables") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long jardins = server.createAssociation("jardins", "Les Jardins");
      long long other = server.createAssociation("autre", "Autre");
      long long admin = server.createAccount("admin@example.org", kPassword, "Admin");
      server.grantRole(admin, jardins, "admin");
      long long anna = server.createAccount("anna@example.org", kPassword, "Anna");
      long long bob = server.createAccount("bob@example.org", kPassword, "Bob");
      long long now = ruche::storage::nowSeconds();
      std::string month = ruche::themes::monthOf(now, "Europe/Paris");
      std::string previous = ruche::admin::monthBefore(month, 1);

      long long mission = server.createMission(jardins, "Arroser");
      long long a1 = insertApplication(server, mission, anna, "active", now - 3600);
      insertEvent(server, a1, "applied", "interview_scheduled", admin, now - 1800);   // answered in time
      insertEvent(server, a1, "training_done", "active", admin, now - 600);           // a place filled
      long long b1 = insertApplication(server, mission, bob, "applied", now - 3600);  // not answered
      insertHours(server, a1, anna, jardins, month + "-01", 90);
      insertHours(server, b1, bob, jardins, month + "-01", 60);
      insertHours(server, a1, anna, jardins, previous + "-15", 30);
      // Another association's hours never count here.
      long long elsewhere = server.createMission(other, "Ailleurs");
      long long c1 = insertApplication(server, elsewhere, anna, "active", now - 3600);
      insertHours(server, c1, anna, other, month + "-01", 600);

      auto http = server.signedIn("admin@example.org", kPassword);
      auto page = http.get("/a/jardins/manage/impact");
      REQUIRE(page.status == 200);
      const std::string& body = page.body;
      CHECK(contains(body, "<h1>Impact de l’association</h1>"));
      CHECK(contains(body, "role=\"img\""));
      CHECK(contains(body, "aria-labelledby=\"chart-hours-title chart-hours-desc\""));
      CHECK(contains(body, "<title id=\"chart-hours-title\">Heures données par mois</title>"));
      CHECK(contains(body, "<desc id=\"chart-hours-desc\">Heures validées, de"));
      CHECK(contains(body, "Total : 3"));
      CHECK(contains(body, "<title>" + month + " : 2,5</title>"));
      CHECK(contains(body, "data-value=\"2.5\""));
      CHECK(contains(body, "data-value=\"0.5\""));
      CHECK_FALSE(contains(body, "data-value=\"10.0\""));
      CHECK(contains(body, "<title>" + month + " : 2</title>"));  // two active volunteers
      CHECK(contains(body, "<title>" + month + " : 50 %</title>"));
      CHECK(contains(body, "<td>1 / 2</td>"));
      // The same figures in the tables.
      CHECK(contains(body, "<th scope=\"row\">" + month + "</th>\n        <td>2,5</td>"));
      CHECK(contains(body, "<th scope=\"row\">" + previous + "</th>\n        <td>0,5</td>"));
      CHECK(contains(http.get("/a/jardins/manage/impact?lang=en").body, "Hours given per month"));
    }
  }
}

TEST_CASE("a volunteer's summary shows what they gave and downloads it as CSV and as a printable page") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long jardins = server.createAssociation("jardins", "Les Jardins");
      long long anna = server.createAccount("anna@example.org", kPassword, "Anna");
      long long bob = server.createAccount("bob@example.org", kPassword, "Bob");
      long long now = ruche::storage::nowSeconds();
      long long water = server.createMission(jardins, "Jardin partagé");
      long long formula = server.createMission(jardins, "=HYPERLINK(1)");
      long long pending = server.createMission(jardins, "Pas encore");
      long long a1 = insertApplication(server, water, anna, "active", now);
      insertHours(server, a1, anna, jardins, "2026-01-10", 90);
      insertApplication(server, formula, anna, "completed", now);
      insertApplication(server, pending, anna, "applied", now);
      long long b1 = insertApplication(server, pending, bob, "active", now);
      insertHours(server, b1, bob, jardins, "2026-01-10", 600);

      auto http = server.signedIn("anna@example.org", kPassword);
      auto page = http.get("/me/summary");
      REQUIRE(page.status == 200);
      CHECK(contains(page.body, "<h1>Mon engagement</h1>"));
      CHECK(contains(page.body, "1 heure donnée (1,5 h)"));
      CHECK(contains(page.body, "2 missions"));
      CHECK(contains(page.body, "1 association aidée"));
      CHECK(contains(page.body, "<th scope=\"row\">Jardin partagé</th>"));
      CHECK_FALSE(contains(page.body, "Pas encore"));
      CHECK(contains(http.get("/me/summary?lang=en").body, "1 hour given (1.5 h)"));

      auto csv = http.get("/me/summary.csv?lang=fr");
      REQUIRE(csv.status == 200);
      CHECK(contains(csv.header("content-type"), "text/csv"));
      CHECK(contains(csv.header("content-disposition"), "attachment"));
      CHECK(contains(csv.body, "\"Mission\",\"Association\",\"Étape\",\"Heures validées\"\r\n"));
      CHECK(contains(csv.body, "\"Jardin partagé\",\"Les Jardins\",\"Mission en cours\",1.5\r\n"));
      CHECK(contains(csv.body, "\"'=HYPERLINK(1)\",\"Les Jardins\",\"Mission terminée\",0.0\r\n"));
      CHECK(contains(csv.body, "\"Total\",,,1.5\r\n"));
      CHECK_FALSE(contains(csv.body, "10.0"));  // Bob's hours are Bob's

      auto print = http.get("/me/summary/print");
      REQUIRE(print.status == 200);
      CHECK(print.body.rfind("<!DOCTYPE html>", 0) == 0);
      CHECK(contains(print.body, "<html lang=\"fr\">"));
      CHECK(contains(print.body, "<h1>Mon engagement</h1>"));
      CHECK(contains(print.body, "<th scope=\"row\">Jardin partagé</th>"));
    }
  }
}

TEST_CASE("the new admin pages and the summary refuse visitors without the right role") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long jardins = server.createAssociation("jardins", "Les Jardins");
      long long autre = server.createAssociation("autre", "Autre");
      long long volunteer = server.createAccount("vol@example.org", kPassword, "Vol");
      server.grantRole(volunteer, jardins, "volunteer");
      long long otherAdmin = server.createAccount("other@example.org", kPassword, "Other");
      server.grantRole(otherAdmin, autre, "admin");

      auto anonymous = server.client();
      for (const std::string path : {"/admin/people", "/admin/mail", "/admin/health", "/me/summary", "/me/summary.csv",
                                     "/a/jardins/manage/impact"}) {
        CAPTURE(path);
        CHECK(anonymous.get(path).status == 401);
      }
      auto vol = server.signedIn("vol@example.org", kPassword);
      for (const std::string path : {"/admin/people", "/admin/people/1", "/admin/mail", "/admin/health",
                                     "/a/jardins/manage/impact", "/a/jardins/manage/language"}) {
        CAPTURE(path);
        CHECK(vol.get(path).status == 403);
      }
      CHECK(vol.postFormWithCsrf("/admin/mail/test", "/me", {{"to", "x@example.org"}}).status == 403);
      CHECK(vol.postFormWithCsrf("/admin/people/1/federation-admin", "/me", {{"federation_admin", "1"}}).status == 403);
      CHECK(scalar(server, "SELECT federation_admin FROM accounts WHERE id = :id", volunteer) == 0);
      CHECK(server.smtp().messages().empty());

      auto other = server.signedIn("other@example.org", kPassword);
      CHECK(other.get("/a/jardins/manage/impact").status == 403);
      CHECK(other.get("/a/jardins/manage/language").status == 403);
      CHECK(other
                .postFormWithCsrf("/a/jardins/manage/language", "/a/autre/manage/language",
                                  {{"default_locale", "en"}, {"timezone", "UTC"}})
                .status == 403);
      CHECK(scalarText(server, "SELECT default_locale FROM associations WHERE id = :id", jardins) == "fr");
      CHECK(other.get("/a/nowhere/manage/impact").status == 404);
      CHECK(other.get("/a/autre/manage/impact").status == 200);
    }
  }
}

TEST_CASE("the health page names a plugin that was refused, with the reason") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TempDir plugins;
      std::filesystem::copy(std::filesystem::path(RUCHE_TEST_PLUGINS) / "wrongabi" / "wrongabi",
                            plugins.path() / "wrongabi", std::filesystem::copy_options::recursive);
      TestServer::Options options;
      options.settings["plugins.dirs"] = plugins.path().string();
      TestServer server(backend, options);
      server.createAccount("admin@example.org", kPassword, "Admin", true);
      auto http = server.signedIn("admin@example.org", kPassword);
      auto page = http.get("/admin/health");
      REQUIRE(page.status == 200);
      CHECK(contains(page.body, "<th scope=\"row\">Extension en échec</th>"));
      CHECK(contains(page.body, "wrongabi : "));
      CHECK_FALSE(contains(page.body, "Aucune extension en échec."));
      CHECK(contains(page.body, "Certains points demandent votre attention."));
    }
  }
}

TEST_CASE("a federation admin opens any association's impact and language pages") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAssociation("jardins", "Les Jardins");
      server.createAccount("admin@example.org", kPassword, "Admin", true);
      auto http = server.signedIn("admin@example.org", kPassword);
      CHECK(http.get("/a/jardins/manage/impact").status == 200);
      CHECK(http.get("/a/jardins/manage/language").status == 200);
      auto list = http.get("/admin/associations");
      CHECK(contains(list.body, "href=\"/a/jardins/manage/impact\""));
    }
  }
}
