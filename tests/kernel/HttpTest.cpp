#include <doctest/doctest.h>

#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

TEST_CASE("every response carries the security headers and a request id") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  auto page = http.get("/");
  CHECK(page.status == 200);
  std::string csp = page.header("content-security-policy");
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(page.header("x-content-type-options") == "nosniff");
  CHECK(!page.header("referrer-policy").empty());
  CHECK(page.header("x-request-id").size() == 16);
  auto tagged = http.get("/healthz", {{"X-Request-Id", "abc-123"}});
  CHECK(tagged.header("x-request-id") == "abc-123");
  auto missing = http.get("/nowhere");
  CHECK(missing.status == 404);
  CHECK(missing.header("x-content-type-options") == "nosniff");
}

TEST_CASE("HEAD answers like GET without a body") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  auto get = http.get("/login");
  auto head = http.head("/login");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("content-length") == std::to_string(get.body.size()));
}

TEST_CASE("unknown pages and methods give 404 and 405 with Allow") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  auto page = http.get("/no/such/page");
  CHECK(page.status == 404);
  CHECK(page.header("content-type").find("text/html") == 0);
  CHECK(page.body.find("<h1>") != std::string::npos);
  auto api = http.get("/api/v1/no-such-thing");
  CHECK(api.status == 404);
  CHECK(api.header("content-type") == "application/problem+json");
  CHECK(api.body.find("\"status\":404") != std::string::npos);
  auto wrongMethod = http.request("DELETE", "/login");
  CHECK(wrongMethod.status == 405);
  CHECK(wrongMethod.header("allow") == "GET, HEAD, POST");
}

TEST_CASE("a form posted without its CSRF token is refused with 403") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  http.get("/signup");
  auto response =
      http.postForm("/signup", {{"email", "a@example.org"}, {"password", "long enough pw"}, {"display_name", "A"}});
  CHECK(response.status == 403);
  auto wrong = http.postForm("/signup", {{"_csrf", "not-the-token-at-all-123"},
                                         {"email", "a@example.org"},
                                         {"password", "long enough pw"},
                                         {"display_name", "A"}});
  CHECK(wrong.status == 403);
  CHECK(!server.services().accounts.findByEmail("a@example.org"));
}

TEST_CASE("a body over the limit gets 413 and is not processed") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  std::string huge(2 * 1024 * 1024, 'x');
  auto response = http.post("/signup", "email=" + huge, "application/x-www-form-urlencoded");
  CHECK(response.status == 413);
}

TEST_CASE("health and readiness endpoints answer") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      auto http = server.client();
      CHECK(http.get("/healthz").status == 200);
      auto ready = http.get("/readyz");
      CHECK(ready.status == 200);
      CHECK(ready.body.find("\"database\":\"ok\"") != std::string::npos);
    }
  }
}

TEST_CASE("pages are French first and switch to English") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  CHECK(http.get("/login").body.find("<html lang=\"fr\">") != std::string::npos);
  auto english = http.get("/login?lang=en");
  CHECK(english.body.find("<html lang=\"en\">") != std::string::npos);
  CHECK(english.body.find("Sign in") != std::string::npos);
  // The choice is remembered in a cookie.
  CHECK(http.get("/login").body.find("<html lang=\"en\">") != std::string::npos);
  auto browser = server.client().get("/login", {{"Accept-Language", "en-GB,en;q=0.8"}});
  CHECK(browser.body.find("<html lang=\"en\">") != std::string::npos);
}

TEST_CASE("an anonymous page without a form sets no cookie and a form sets the CSRF cookie its POST needs") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  auto missions = http.get("/missions");
  CHECK(missions.status == 200);
  CHECK(missions.header("set-cookie").empty());
  auto login = http.get("/login");
  std::string csrf = HttpClient::csrfFrom(login.body);
  REQUIRE(!csrf.empty());
  CHECK(login.header("set-cookie").rfind(std::string("ruche_csrf=") + csrf, 0) == 0);
  // The cookie jar now holds it: the login form's POST passes the CSRF check.
  auto wrong = http.post("/login", "_csrf=" + csrf + "&email=x%40example.org&password=wrong+password",
                         "application/x-www-form-urlencoded");
  CHECK(wrong.status == 401);
  // A page without a form still does not set it again.
  CHECK(http.get("/missions").header("set-cookie").empty());
}
