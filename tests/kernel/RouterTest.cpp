#include <doctest/doctest.h>

#include <stdexcept>

#include "kernel/http/Router.h"

using ruche::http::Guard;
using ruche::http::Request;
using ruche::http::Response;
using ruche::http::Router;

namespace {
Guard open() {
  return {"public", [](const Request&) {}};
}
void noop(Request&, Response&) {}
}  // namespace

TEST_CASE("a path pattern captures its parameters") {
  Router router;
  router.get("/missions/{id}", open(), noop);
  auto match = router.match("GET", "/missions/42");
  REQUIRE(match.handler != nullptr);
  CHECK(match.params.at("id") == "42");
  CHECK(router.match("GET", "/missions/42/extra").allowed.empty());
}

TEST_CASE("a literal segment wins over a parameter") {
  Router router;
  int which = 0;
  router.get("/missions/{id}", open(), [&](Request&, Response&) { which = 1; });
  router.get("/missions/new", open(), [&](Request&, Response&) { which = 2; });
  Request request;
  Response response;
  auto match = router.match("GET", "/missions/new");
  REQUIRE(match.handler != nullptr);
  (*match.handler)(request, response);
  CHECK(which == 2);
}

TEST_CASE("a known path with another method lists the allowed ones, HEAD included") {
  Router router;
  router.get("/login", open(), noop);
  router.post("/login", open(), noop);
  auto match = router.match("DELETE", "/login");
  CHECK(match.handler == nullptr);
  CHECK(match.allowed == std::vector<std::string>{"GET", "HEAD", "POST"});
  CHECK(router.match("HEAD", "/login").handler != nullptr);
}

TEST_CASE("a route without a guard is refused when declared") {
  Router router;
  CHECK_THROWS_AS(router.get("/x", Guard{}, noop), std::invalid_argument);
  router.get("/x", open(), noop);
  CHECK_THROWS_AS(router.get("/x", open(), noop), std::invalid_argument);
}

TEST_CASE("tokens in a query never reach the access log") {
  using ruche::http::redactTokens;
  CHECK(redactTokens("/reset?token=abc123") == "/reset?token=…");
  CHECK(redactTokens("/x?page=2&api_token=s3cret&q=jardin") == "/x?page=2&api_token=…&q=jardin");
  CHECK(redactTokens("/missions?q=token") == "/missions?q=token");
  CHECK(redactTokens("/plain") == "/plain");
}
