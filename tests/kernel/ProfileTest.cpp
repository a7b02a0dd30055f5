#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

#include <algorithm>

#include "kernel/domain/Profiles.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;
using ruche::domain::Profiles;

namespace {

const char* const kPassword = "correct horse battery";

HttpClient::FormFields validProfile() {
  return {{"display_name", "Awa Diallo"},
          {"bio", "Étudiante en droit, j'aime <transmettre>."},
          {"place", "Dakar"},
          {"remote_only", "1"},
          {"hours_per_week", "6"},
          {"timezone", "Africa/Dakar"},
          {"locale", "en"},
          {"skills", "writing"},
          {"skills", "legal"},
          {"causes", "education"},
          {"languages_0_code", "fr"},
          {"languages_0_level", "native"},
          {"languages_1_code", "wo"},
          {"languages_1_level", "fluent"},
          {"availability_0_weekday", "2"},
          {"availability_0_start", "18:00"},
          {"availability_0_end", "20:30"},
          {"availability_1_weekday", "5"},
          {"availability_1_start", "09:00"},
          {"availability_1_end", "12:00"}};
}

// The form with one field's (every) value replaced.
HttpClient::FormFields with(HttpClient::FormFields fields, const std::string& name, const std::string& value) {
  fields.erase(std::remove_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == name; }),
               fields.end());
  fields.emplace_back(name, value);
  return fields;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

long long count(ruche::app::Services& services, const std::string& query, long long id) {
  long long n = -1;
  ruche::storage::Database::Session session(services.db);
  *session << query, soci::use(id), soci::into(n);
  return n;
}

struct Engagement {
  long long association = 0;
  long long mission = 0;
  long long application = 0;
  long long hours = 0;
};

// An association, a mission, the person's application with one event, one
// hours row and one feedback they wrote, all inserted by SQL.
Engagement engage(TestServer& server, long long accountId) {
  Engagement e;
  e.association = server.createAssociation("banque-alimentaire", "Banque alimentaire");
  long long now = ruche::storage::nowSeconds();
  server.services().db.transaction([&](soci::session& sql) {
    sql << "INSERT INTO missions (association_id, title, description, kind, mode, status, created_at, updated_at) "
           "VALUES (:a, 'Distribution alimentaire', 'Le samedi matin', 'regular', 'onsite', 'published', :t, :u) "
           "RETURNING id",
        soci::use(e.association), soci::use(now), soci::use(now), soci::into(e.mission);
    sql << "INSERT INTO applications (mission_id, account_id, status, motivation, created_at, updated_at) "
           "VALUES (:m, :a, 'active', 'J''ai du temps le samedi', :t, :u) RETURNING id",
        soci::use(e.mission), soci::use(accountId), soci::use(now), soci::use(now), soci::into(e.application);
    sql << "INSERT INTO application_events (application_id, from_status, to_status, actor_account_id, note, at) "
           "VALUES (:p, 'applied', 'active', :a, 'Bienvenue', :t)",
        soci::use(e.application), soci::use(accountId), soci::use(now);
    sql << "INSERT INTO hours (application_id, account_id, association_id, day, minutes, note, status, created_at) "
           "VALUES (:p, :a, :s, '2026-03-14', 120, 'Tri des dons', 'validated', :t) RETURNING id",
        soci::use(e.application), soci::use(accountId), soci::use(e.association), soci::use(now), soci::into(e.hours);
    sql << "INSERT INTO feedback (application_id, author_account_id, direction, rating, comment, created_at) "
           "VALUES (:p, :a, 'from_volunteer', 5, 'Équipe accueillante', :t)",
        soci::use(e.application), soci::use(accountId), soci::use(now);
  });
  return e;
}

std::string tokenFrom(const std::string& html) {
  auto start = html.find("value=\"ruche_");
  REQUIRE(start != std::string::npos);
  start += 7;
  return html.substr(start, html.find('"', start) - start);
}

}  // namespace

TEST_CASE("a volunteer saves a whole profile and finds it on the page and in storage") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long id = server.createAccount("awa@example.org", kPassword, "Awa");
      auto http = server.signedIn("awa@example.org", kPassword);

      auto saved = http.postFormWithCsrf("/me/profile", "/me/profile", validProfile());
      REQUIRE(saved.status == 303);
      CHECK(saved.header("location") == "/me/profile?saved=1");

      auto page = http.followRedirect(saved);
      REQUIRE(page.status == 200);
      CHECK(contains(page.body, "role=\"status\""));
      CHECK(contains(page.body, "value=\"Dakar\""));
      CHECK(contains(page.body, "j&apos;aime &lt;transmettre&gt;"));
      CHECK(contains(page.body, "id=\"remote_only\" name=\"remote_only\" type=\"checkbox\" value=\"1\" checked"));
      CHECK(contains(page.body, "value=\"legal\" checked"));
      CHECK(contains(page.body, "value=\"education\" checked"));
      CHECK_FALSE(contains(page.body, "value=\"health\" checked"));
      CHECK(contains(page.body, "<option value=\"Africa/Dakar\" selected>"));
      CHECK(contains(page.body, "value=\"20:30\""));

      auto profile = Profiles(server.services().db).load(id);
      CHECK(profile.displayName == "Awa Diallo");
      CHECK(profile.bio == "Étudiante en droit, j'aime <transmettre>.");
      CHECK(profile.place == "Dakar");
      CHECK(profile.remoteOnly);
      CHECK(profile.hoursPerWeek == 6);
      CHECK(profile.timezone == "Africa/Dakar");
      CHECK(profile.locale == "en");
      CHECK(profile.skills == std::vector<std::string>{"legal", "writing"});
      CHECK(profile.causes == std::vector<std::string>{"education"});
      REQUIRE(profile.languages.size() == 2);
      CHECK(profile.languages[0].code == "fr");
      CHECK(profile.languages[0].level == "native");
      CHECK(profile.languages[1].code == "wo");
      CHECK(profile.languages[1].level == "fluent");
      REQUIRE(profile.availability.size() == 2);
      CHECK(profile.availability[0].weekday == 2);
      CHECK(profile.availability[0].start == "18:00");
      CHECK(profile.availability[0].end == "20:30");
      CHECK(profile.availability[1].weekday == 5);

      // Saving again replaces the sets rather than adding to them.
      auto fewer = with(with(validProfile(), "skills", "cooking"), "languages_1_code", "");
      fewer = with(fewer, "languages_1_level", "");
      REQUIRE(http.postFormWithCsrf("/me/profile", "/me/profile", fewer).status == 303);
      auto again = Profiles(server.services().db).load(id);
      CHECK(again.skills == std::vector<std::string>{"cooking"});
      CHECK(again.languages.size() == 1);
      CHECK(count(server.services(), "SELECT COUNT(*) FROM profile_skills WHERE account_id = :a", id) == 1);
    }
  }
}

TEST_CASE("each invalid profile input is refused with 422 naming its field and changes nothing") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long id = server.createAccount("awa@example.org", kPassword, "Awa");
      auto http = server.signedIn("awa@example.org", kPassword);
      REQUIRE(http.postFormWithCsrf("/me/profile", "/me/profile", validProfile()).status == 303);

      struct Case {
        std::string field;
        std::string value;
        std::string namedField;
      };
      const std::vector<Case> cases = {
          {"timezone", "Europe/Atlantis", "timezone"},           {"skills", "juggling", "skills"},
          {"availability_0_end", "17:00", "availability_0_end"}, {"languages_0_level", "expert", "languages_0_level"},
          {"languages_1_code", "fr", "languages_1_code"},        {"hours_per_week", "61", "hours_per_week"},
      };
      for (const auto& c : cases) {
        CAPTURE(c.field);
        auto response = http.postFormWithCsrf("/me/profile", "/me/profile",
                                              with(with(validProfile(), c.field, c.value), "place", "Thiès"));
        CHECK(response.status == 422);
        CHECK(contains(response.body, "id=\"" + c.namedField + "-error\""));
        CHECK(contains(response.body, "href=\"#" + c.namedField + "\""));
        // The form keeps what was typed.
        CHECK(contains(response.body, "value=\"Thiès\""));

        auto profile = Profiles(server.services().db).load(id);
        CHECK(profile.place == "Dakar");
        CHECK(profile.timezone == "Africa/Dakar");
        CHECK(profile.skills == std::vector<std::string>{"legal", "writing"});
        CHECK(profile.languages.size() == 2);
        CHECK(profile.languages[0].level == "native");
        CHECK(profile.availability.size() == 2);
        CHECK(profile.availability[0].end == "20:30");
        CHECK(profile.hoursPerWeek == 6);
      }
    }
  }
}

TEST_CASE("the data export holds the profile, applications with history, hours, feedback and token names") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long id = server.createAccount("awa@example.org", kPassword, "Awa");
      engage(server, id);
      std::string secret = server.services().apiTokens.create(id, "tableur");
      auto http = server.signedIn("awa@example.org", kPassword);
      REQUIRE(http.postFormWithCsrf("/me/profile", "/me/profile", validProfile()).status == 303);

      auto response = http.get("/me/data");
      REQUIRE(response.status == 200);
      CHECK(response.header("content-type").find("application/json") == 0);
      CHECK(response.header("content-disposition") == "attachment; filename=\"ruche-my-data.json\"");
      CHECK_FALSE(contains(response.body, secret));

      auto doc = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
      CHECK(doc->getObject("account")->getValue<std::string>("email") == "awa@example.org");
      auto profile = doc->getObject("profile");
      CHECK(profile->getValue<std::string>("place") == "Dakar");
      CHECK(profile->getArray("skills")->size() == 2);
      CHECK(profile->getArray("availability")->size() == 2);

      auto applications = doc->getArray("applications");
      REQUIRE(applications->size() == 1);
      auto application = applications->getObject(0);
      CHECK(application->getValue<std::string>("mission") == "Distribution alimentaire");
      CHECK(application->getValue<std::string>("association") == "Banque alimentaire");
      CHECK(application->getValue<std::string>("status") == "active");
      REQUIRE(application->getArray("history")->size() == 1);
      CHECK(application->getArray("history")->getObject(0)->getValue<std::string>("to") == "active");

      auto hours = doc->getArray("hours");
      REQUIRE(hours->size() == 1);
      CHECK(hours->getObject(0)->getValue<int>("minutes") == 120);
      CHECK(doc->getArray("feedback_given")->getObject(0)->getValue<std::string>("comment") == "Équipe accueillante");
      auto tokens = doc->getArray("api_tokens");
      REQUIRE(tokens->size() == 1);
      CHECK(tokens->getObject(0)->getValue<std::string>("name") == "tableur");
    }
  }
}

TEST_CASE("deleting one's account anonymises it and keeps the association's records without the person") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      auto& services = server.services();
      long long id = server.createAccount("awa@example.org", kPassword, "Awa");
      Engagement e = engage(server, id);
      services.apiTokens.create(id, "tableur");
      auto http = server.signedIn("awa@example.org", kPassword);
      auto other = server.signedIn("awa@example.org", kPassword);
      REQUIRE(http.postFormWithCsrf("/me/profile", "/me/profile", validProfile()).status == 303);

      // A wrong confirmation deletes nothing.
      auto wrong = http.postFormWithCsrf("/me/delete", "/me/delete", {{"confirm", "someone@example.org"}});
      CHECK(wrong.status == 422);
      CHECK(contains(wrong.body, "id=\"confirm-error\""));
      CHECK(other.get("/me").status == 200);

      auto deleted = http.postFormWithCsrf("/me/delete", "/me/delete", {{"confirm", " Awa@Example.org "}});
      REQUIRE(deleted.status == 303);
      CHECK(deleted.header("location") == "/?deleted=1");

      CHECK(http.get("/me").status == 401);
      CHECK(other.get("/me").status == 401);
      CHECK(count(services, "SELECT COUNT(*) FROM sessions WHERE account_id = :a", id) == 0);
      CHECK(count(services, "SELECT COUNT(*) FROM api_tokens WHERE account_id = :a", id) == 0);
      CHECK(count(services, "SELECT COUNT(*) FROM profiles WHERE account_id = :a", id) == 0);
      CHECK(count(services, "SELECT COUNT(*) FROM profile_skills WHERE account_id = :a", id) == 0);
      CHECK(count(services, "SELECT COUNT(*) FROM availability_slots WHERE account_id = :a", id) == 0);

      {
        ruche::storage::Database::Session session(services.db);
        std::string email;
        soci::indicator emailInd = soci::i_ok;
        soci::indicator hashInd = soci::i_ok;
        soci::indicator deletedInd = soci::i_null;
        std::string hash;
        std::string name;
        long long deletedAt = 0;
        *session << "SELECT email, password_hash, display_name, deleted_at FROM accounts WHERE id = :a", soci::use(id),
            soci::into(email, emailInd), soci::into(hash, hashInd), soci::into(name), soci::into(deletedAt, deletedInd);
        REQUIRE(session->got_data());
        CHECK(emailInd == soci::i_null);
        CHECK(hashInd == soci::i_null);
        CHECK(name == "—");
        CHECK(deletedInd == soci::i_ok);

        long long hoursAccount = 0;
        soci::indicator hoursInd = soci::i_ok;
        int minutes = 0;
        *session << "SELECT account_id, minutes FROM hours WHERE id = :h", soci::use(e.hours),
            soci::into(hoursAccount, hoursInd), soci::into(minutes);
        REQUIRE(session->got_data());
        CHECK(hoursInd == soci::i_null);
        CHECK(minutes == 120);

        long long applicant = 0;
        soci::indicator applicantInd = soci::i_ok;
        std::string motivation;
        std::string status;
        *session << "SELECT account_id, motivation, status FROM applications WHERE id = :p", soci::use(e.application),
            soci::into(applicant, applicantInd), soci::into(motivation), soci::into(status);
        REQUIRE(session->got_data());
        CHECK(applicantInd == soci::i_null);
        CHECK(motivation.empty());
        CHECK(status == "withdrawn");

        std::string comment = "x";
        int rating = 0;
        *session << "SELECT comment, rating FROM feedback WHERE application_id = :p", soci::use(e.application),
            soci::into(comment), soci::into(rating);
        CHECK(comment.empty());
        CHECK(rating == 5);
      }

      auto login =
          server.client().postFormWithCsrf("/login", "/login", {{"email", "awa@example.org"}, {"password", kPassword}});
      CHECK(login.status == 401);
      CHECK_FALSE(services.accounts.findByEmail("awa@example.org"));

      // The address is free again.
      auto again = server.client().postFormWithCsrf(
          "/signup", "/signup", {{"display_name", "Awa"}, {"email", "awa@example.org"}, {"password", kPassword}});
      CHECK(again.status == 303);
      auto newId = services.accounts.findByEmail("awa@example.org");
      REQUIRE(newId);
      CHECK(*newId != id);
    }
  }
}

TEST_CASE("an API token made on the page authenticates until it is revoked") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      auto& tokens = server.services().apiTokens;
      long long id = server.createAccount("awa@example.org", kPassword, "Awa");
      long long otherId = server.createAccount("lea@example.org", kPassword, "Léa");
      auto http = server.signedIn("awa@example.org", kPassword);

      auto empty = http.postFormWithCsrf("/me/tokens", "/me/tokens", {{"name", "  "}});
      CHECK(empty.status == 422);
      CHECK(contains(empty.body, "id=\"name-error\""));
      CHECK(tokens.list(id).empty());

      auto created = http.postFormWithCsrf("/me/tokens", "/me/tokens", {{"name", "Mon tableur"}});
      REQUIRE(created.status == 200);
      std::string token = tokenFrom(created.body);
      auto visitor = tokens.authenticate(token);
      REQUIRE(visitor);
      CHECK(visitor->accountId == id);

      auto list = http.get("/me/tokens");
      CHECK(contains(list.body, "Mon tableur"));
      CHECK_FALSE(contains(list.body, token));
      auto mine = tokens.list(id);
      REQUIRE(mine.size() == 1);

      // Someone else cannot revoke it.
      auto lea = server.signedIn("lea@example.org", kPassword);
      std::string path = "/me/tokens/" + std::to_string(mine[0].id) + "/revoke";
      CHECK(lea.postFormWithCsrf(path, "/me/tokens", {}).status == 404);
      CHECK(tokens.authenticate(token));
      CHECK(tokens.list(otherId).empty());

      auto revoked = http.postFormWithCsrf(path, "/me/tokens", {});
      REQUIRE(revoked.status == 303);
      CHECK(revoked.header("location") == "/me/tokens?revoked=1");
      CHECK_FALSE(tokens.authenticate(token));
      CHECK(tokens.list(id)[0].revoked);
    }
  }
}

TEST_CASE("my space lists my associations and links coordinators to their management pages") {
  TestServer server(Backend::Sqlite);
  long long id = server.createAccount("awa@example.org", kPassword, "Awa");
  long long food = server.createAssociation("banque-alimentaire", "Banque alimentaire");
  long long books = server.createAssociation("lire-ensemble", "Lire ensemble");
  server.grantRole(id, food, "coordinator");
  server.grantRole(id, books, "volunteer");
  auto http = server.signedIn("awa@example.org", kPassword);
  auto page = http.get("/me?welcome=1");
  REQUIRE(page.status == 200);
  CHECK(contains(page.body, "href=\"/a/banque-alimentaire\""));
  CHECK(contains(page.body, "href=\"/a/banque-alimentaire/manage\""));
  CHECK(contains(page.body, "href=\"/a/lire-ensemble\""));
  CHECK_FALSE(contains(page.body, "href=\"/a/lire-ensemble/manage\""));
  CHECK(contains(page.body, "role=\"status\""));
  // createAccount makes verified accounts: no verification notice.
  CHECK_FALSE(contains(page.body, "action=\"/verify/resend\""));
}

TEST_CASE("every page of my space refuses an anonymous visitor with 401") {
  TestServer server(Backend::Sqlite);
  long long id = server.createAccount("awa@example.org", kPassword, "Awa");
  long long tokenId = 0;
  server.services().apiTokens.create(id, "tableur");
  tokenId = server.services().apiTokens.list(id)[0].id;
  auto http = server.client();
  for (const std::string path : {"/me", "/me/profile", "/me/data", "/me/delete", "/me/tokens"}) {
    CAPTURE(path);
    CHECK(http.get(path).status == 401);
  }
  std::string revoke = "/me/tokens/" + std::to_string(tokenId) + "/revoke";
  for (const std::string path : {"/me/profile", "/me/delete", "/me/tokens", revoke.c_str()}) {
    CAPTURE(path);
    CHECK(http.postFormWithCsrf(path, "/login", {{"confirm", "awa@example.org"}, {"name", "x"}}).status == 401);
  }
  CHECK(server.services().apiTokens.list(id).size() == 1);
  CHECK_FALSE(server.services().apiTokens.list(id)[0].revoked);
  CHECK(server.services().accounts.findByEmail("awa@example.org"));
}
