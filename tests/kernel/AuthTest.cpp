#include <doctest/doctest.h>

#include <future>

#include "kernel/auth/Housekeeping.h"
#include "kernel/auth/LoginThrottle.h"
#include "kernel/web/SignInCookie.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

TEST_CASE("sign-up sends a verification mail whose link verifies the address") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      auto http = server.client();
      auto created = http.postFormWithCsrf(
          "/signup", "/signup",
          {{"display_name", "Awa Diallo"}, {"email", "Awa@Example.org "}, {"password", "correct horse battery"}});
      REQUIRE(created.status == 303);
      CHECK(created.header("location") == "/me?welcome=1");
      REQUIRE(http.cookie("ruche_session"));

      auto id = server.services().accounts.findByEmail("awa@example.org");
      REQUIRE(id);
      auto mail = server.smtp().waitForMessage("awa@example.org", std::chrono::seconds(10));
      REQUIRE(mail);
      std::string link = HttpClient::extractLink(mail->body, "/verify?token=");
      auto verified = server.client().get(link);
      CHECK(verified.status == 200);
      long long verifiedAt = 0;
      soci::indicator ind = soci::i_null;
      ruche::storage::Database::Session session(server.services().db);
      *session << "SELECT email_verified_at FROM accounts WHERE id = :id", soci::use(*id), soci::into(verifiedAt, ind);
      CHECK(ind == soci::i_ok);
      // A used link does not work twice.
      CHECK(server.client().get(link).status == 400);
    }
  }
}

TEST_CASE("sign-up rejects bad input field by field and creates nothing") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  auto response = http.postFormWithCsrf("/signup", "/signup",
                                        {{"display_name", ""}, {"email", "not-an-email"}, {"password", "short"}});
  CHECK(response.status == 422);
  CHECK(response.body.find("id=\"email-error\"") != std::string::npos);
  CHECK(response.body.find("id=\"password-error\"") != std::string::npos);
  CHECK(response.body.find("id=\"display_name-error\"") != std::string::npos);
  CHECK(response.body.find("aria-invalid=\"true\"") != std::string::npos);
  long long accounts = -1;
  ruche::storage::Database::Session session(server.services().db);
  *session << "SELECT COUNT(*) FROM accounts", soci::into(accounts);
  CHECK(accounts == 0);

  server.createAccount("taken@example.org", "correct horse battery", "Taken");
  auto duplicate = http.postFormWithCsrf(
      "/signup", "/signup",
      {{"display_name", "Other"}, {"email", "taken@example.org"}, {"password", "correct horse battery"}});
  CHECK(duplicate.status == 422);
  CHECK(duplicate.body.find("id=\"email-error\"") != std::string::npos);
}

TEST_CASE("login rotates the session and logout ends it") {
  TestServer server(Backend::Sqlite);
  server.createAccount("lea@example.org", "correct horse battery", "Léa");
  auto http = server.client();
  auto bad = http.postFormWithCsrf("/login", "/login", {{"email", "lea@example.org"}, {"password", "wrong password"}});
  CHECK(bad.status == 401);
  CHECK(!http.cookie("ruche_session"));
  auto first = http.postFormWithCsrf(
      "/login", "/login",
      {{"email", "lea@example.org"}, {"password", "correct horse battery"}, {"next", "//evil.example.org/"}});
  REQUIRE(first.status == 303);
  CHECK(first.header("location") == "/me");  // no open redirect
  std::string firstToken = *http.cookie("ruche_session");
  auto second =
      http.postFormWithCsrf("/login", "/login", {{"email", "lea@example.org"}, {"password", "correct horse battery"}});
  REQUIRE(second.status == 303);
  std::string secondToken = *http.cookie("ruche_session");
  CHECK(firstToken != secondToken);
  // The old session no longer signs anyone in.
  auto stale = server.client();
  stale.setCookie("ruche_session", firstToken);
  CHECK(stale.get("/").body.find("/logout") == std::string::npos);
  CHECK(http.get("/").body.find("/logout") != std::string::npos);

  auto out = http.postFormWithCsrf("/logout", "/", {});
  CHECK(out.status == 303);
  auto reuse = server.client();
  reuse.setCookie("ruche_session", secondToken);
  CHECK(reuse.get("/").body.find("/logout") == std::string::npos);
}

TEST_CASE("repeated failed logins are throttled per account, kept in the database") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("sam@example.org", "correct horse battery", "Sam");
      auto http = server.client();
      for (int i = 0; i < 5; ++i) {
        auto response = http.postFormWithCsrf(
            "/login", "/login", {{"email", "sam@example.org"}, {"password", "guess " + std::to_string(i)}});
        CHECK(response.status == 401);
      }
      auto blocked = http.postFormWithCsrf("/login", "/login",
                                           {{"email", "sam@example.org"}, {"password", "correct horse battery"}});
      CHECK(blocked.status == 429);
      CHECK(!blocked.header("retry-after").empty());
      long long failures = 0;
      ruche::storage::Database::Session session(server.services().db);
      *session << "SELECT failures FROM login_attempts WHERE throttle_key = 'account:sam@example.org'",
          soci::into(failures);
      CHECK(failures == 6);  // every attempt in the window counts, the refused one too
    }
  }
}

TEST_CASE("parallel guesses cannot slip past the login limit") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("kim@example.org", "correct horse battery", "Kim");
      std::vector<std::future<int>> guesses;
      for (int i = 0; i < 16; ++i) {
        guesses.push_back(std::async(std::launch::async, [&server, i] {
          auto http = server.client();
          return http
              .postFormWithCsrf("/login", "/login",
                                {{"email", "kim@example.org"}, {"password", "guess " + std::to_string(i)}})
              .status;
        }));
      }
      int checked = 0;
      int refused = 0;
      for (auto& guess : guesses) {
        int status = guess.get();
        checked += status == 401 ? 1 : 0;
        refused += status == 429 ? 1 : 0;
      }
      CHECK(checked == ruche::auth::LoginThrottle::kMaxPerAccount);
      CHECK(refused == 16 - ruche::auth::LoginThrottle::kMaxPerAccount);
    }
  }
}

TEST_CASE("a password reset link sets a new password once") {
  TestServer server(Backend::Sqlite);
  server.createAccount("noe@example.org", "correct horse battery", "Noé");
  auto http = server.client();
  auto asked = http.postFormWithCsrf("/reset", "/reset", {{"email", "noe@example.org"}});
  CHECK(asked.status == 200);
  // Unknown addresses get the same answer and no mail.
  auto unknown = http.postFormWithCsrf("/reset", "/reset", {{"email", "nobody@example.org"}});
  CHECK(unknown.status == 200);
  auto mail = server.smtp().waitForMessage("noe@example.org", std::chrono::seconds(10));
  REQUIRE(mail);
  std::string link = HttpClient::extractLink(mail->body, "/reset?token=");
  std::string token = link.substr(link.find("token=") + 6);
  auto weak = http.postFormWithCsrf("/reset/confirm", link, {{"token", token}, {"password", "short"}});
  CHECK(weak.status == 422);
  auto done = http.postFormWithCsrf("/reset/confirm", link, {{"token", token}, {"password", "a brand new secret"}});
  CHECK(done.status == 303);
  auto again = http.postFormWithCsrf("/reset/confirm", link, {{"token", token}, {"password", "another new secret"}});
  CHECK(again.status == 400);
  CHECK(server.services().accounts.authenticate("noe@example.org", "a brand new secret", "127.0.0.9"));
  CHECK(server.smtp().messages().size() == 1);
}

TEST_CASE("a page that needs an account answers 401 with a way to sign in and come back") {
  TestServer server(Backend::Sqlite);
  auto response = server.client().get("/me/profile");
  CHECK(response.status == 401);
  CHECK(response.body.find("href=\"/login?next=/me/profile\"") != std::string::npos);
  auto api = server.client().get("/me/profile", {{"Accept", "application/json"}});
  CHECK(api.status == 401);
  CHECK(api.header("content-type") == "application/problem+json");
}

TEST_CASE("sign-up still succeeds and signs in when the mail server is down") {
  TestServer server(Backend::Sqlite, TestServer::Options{true, {}});
  auto http = server.client();
  auto created = http.postFormWithCsrf(
      "/signup", "/signup",
      {{"display_name", "Zoé"}, {"email", "zoe@example.org"}, {"password", "correct horse battery"}});
  CHECK(created.status == 303);
  CHECK(server.services().accounts.findByEmail("zoe@example.org"));
  CHECK(http.get("/me").status == 200);
  CHECK(server.smtp().messages().empty());
}

TEST_CASE("behind the reverse proxy, throttling counts the client's address, not the proxy's") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  auto page = http.get("/login");
  std::string csrf = HttpClient::csrfFrom(page.body);
  auto response = http.post("/login", "_csrf=" + csrf + "&email=x%40example.org&password=wrong+password",
                            "application/x-www-form-urlencoded", {{"X-Forwarded-For", "198.51.100.1, 203.0.113.7"}});
  CHECK(response.status == 401);
  long long failures = 0;
  ruche::storage::Database::Session session(server.services().db);
  *session << "SELECT failures FROM login_attempts WHERE throttle_key = 'ip:203.0.113.7'", soci::into(failures);
  CHECK(failures == 1);
}

TEST_CASE("a password reset revokes API tokens and other reset links") {
  TestServer server(Backend::Sqlite);
  long long id = server.createAccount("ana@example.org", "correct horse battery", "Ana");
  std::string token = server.services().apiTokens.create(id, "script");
  REQUIRE(server.services().apiTokens.authenticate(token));
  auto http = server.client();
  http.postFormWithCsrf("/reset", "/reset", {{"email", "ana@example.org"}});
  http.postFormWithCsrf("/reset", "/reset", {{"email", "ana@example.org"}});
  auto first = server.smtp().waitForMessage("ana@example.org", std::chrono::seconds(10));
  auto second = server.smtp().waitForMessage("ana@example.org", std::chrono::seconds(10));
  REQUIRE(first);
  REQUIRE(second);
  std::string link = HttpClient::extractLink(second->body, "/reset?token=");
  std::string secondToken = link.substr(link.find("token=") + 6);
  std::string firstLink = HttpClient::extractLink(first->body, "/reset?token=");
  std::string firstToken = firstLink.substr(firstLink.find("token=") + 6);
  CHECK(http.postFormWithCsrf("/reset/confirm", link, {{"token", secondToken}, {"password", "a brand new secret"}})
            .status == 303);
  CHECK(!server.services().apiTokens.authenticate(token));
  CHECK(http.postFormWithCsrf("/reset/confirm", firstLink, {{"token", firstToken}, {"password", "yet another one"}})
            .status == 400);
}

TEST_CASE("after login, next must be a path of this site") {
  CHECK(ruche::web::safeNext("/missions?page=2") == "/missions?page=2");
  CHECK(ruche::web::safeNext("//evil.example") == "/me");
  CHECK(ruche::web::safeNext("/\t/evil.example") == "/me");
  CHECK(ruche::web::safeNext("/\\evil.example") == "/me");
  CHECK(ruche::web::safeNext("https://evil.example") == "/me");
  CHECK(ruche::web::safeNext("/a\\b") == "/me");
  CHECK(ruche::web::safeNext("") == "/me");
}

TEST_CASE("API tokens open the API only, not the pages") {
  TestServer server(Backend::Sqlite);
  long long id = server.createAccount("leo@example.org", "correct horse battery", "Léo", true);
  std::string token = server.services().apiTokens.create(id, "script");
  auto http = server.client();
  CHECK(http.get("/api/v1/me/profile", {{"Authorization", "Bearer " + token}}).status == 200);
  CHECK(http.get("/admin", {{"Authorization", "Bearer " + token}}).status == 401);
  auto mint = http.request("POST", "/me/tokens", "name=more", "application/x-www-form-urlencoded",
                           {{"Authorization", "Bearer " + token}});
  CHECK(mint.status == 403);  // no session, no CSRF token: refused before anything happens
}

TEST_CASE("expired sessions, tokens and login counters are purged") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long id = server.createAccount("old@example.org", "correct horse battery", "Old");
      auto& db = server.services().db;
      std::string fresh = server.services().sessions.create(id);
      db.transaction([&](soci::session& sql) {
        sql << "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) "
               "VALUES ('stale', :a, 'c', 1, 1, 2)",
            soci::use(id);
        sql << "INSERT INTO email_tokens (token_hash, account_id, purpose, expires_at) VALUES ('t', :a, 'reset', 5)",
            soci::use(id);
        sql << "INSERT INTO login_attempts (throttle_key, window_start, failures) VALUES ('ip:1.2.3.4', 10, 3)";
      });
      CHECK(ruche::auth::purgeExpired(db) == 3);
      CHECK(server.services().sessions.load(fresh));
      CHECK(ruche::auth::purgeExpired(db) == 0);
    }
  }
}
