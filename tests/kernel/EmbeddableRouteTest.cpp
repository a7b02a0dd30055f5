// Embeddable routes (SDK 1.1 Registrar::embeddableRoute): only they may be
// framed; their POST is not checked against the CSRF cookie and runs as an
// anonymous visitor. Every other route keeps refusing frames and CSRF-less
// posts. The pipeline alone, without a server.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>

#include "kernel/auth/SessionMiddleware.h"
#include "kernel/http/Pipeline.h"
#include "kernel/http/Router.h"
#include "kernel/http/SecurityHeaders.h"
#include "kernel/plugins/PluginHost.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::http;

namespace {

Guard open() {
  return {"public", [](const Request&) {}};
}

/// Stands in for the session middleware: a signed-in visitor with a token.
class SignedInVisitor : public Middleware {
 public:
  void before(Request& request, Response&) override {
    request.visitor.accountId = 7;
    request.sessionToken = "session";
    request.csrfToken = "the-token";
  }
};

struct Fixture {
  Fixture() : pipeline(router) {
    auto record = [this](Request& request, Response& response) {
      seenAccount = request.visitor.accountId;
      response.text("ok");
    };
    router.add("GET", "/embed", open(), record, true);
    router.add("POST", "/embed", open(), record, true);
    router.add("GET", "/page", open(), record);
    router.add("POST", "/page", open(), record);
    pipeline.use(std::make_shared<SecurityHeaders>(false));
    pipeline.use(std::make_shared<SignedInVisitor>());
    pipeline.useAfterRouting(std::make_shared<ruche::auth::CsrfMiddleware>());
  }

  Response send(const std::string& method, const std::string& path) {
    Request request;
    request.method = method;
    request.path = path;
    request.target = path;
    Response response;
    pipeline.handle(request, response);
    return response;
  }

  Router router;
  Pipeline pipeline;
  long long seenAccount = -1;
};

}  // namespace

TEST_CASE("only a route declared embeddable matches as embeddable") {
  Fixture fixture;
  CHECK(fixture.router.match("GET", "/embed").embeddable);
  CHECK(fixture.router.match("HEAD", "/embed").embeddable);
  CHECK_FALSE(fixture.router.match("GET", "/page").embeddable);
}

TEST_CASE("an embeddable page may be framed while every other page, and error pages, refuse frames") {
  Fixture fixture;
  auto framed = fixture.send("GET", "/embed");
  CHECK(framed.status == 200);
  CHECK(framed.headers.count("X-Frame-Options") == 0);
  CHECK(framed.headers["Content-Security-Policy"].find("frame-ancestors *;") != std::string::npos);

  auto page = fixture.send("GET", "/page");
  CHECK(page.headers["X-Frame-Options"] == "DENY");
  CHECK(page.headers["Content-Security-Policy"].find("frame-ancestors 'none'") != std::string::npos);
  auto missing = fixture.send("GET", "/nowhere");
  CHECK(missing.status == 404);
  CHECK(missing.headers["X-Frame-Options"] == "DENY");
}

TEST_CASE("an embeddable post needs no csrf cookie and runs as an anonymous visitor, other posts still need it") {
  Fixture fixture;
  auto embedded = fixture.send("POST", "/embed");
  CHECK(embedded.status == 200);
  CHECK(fixture.seenAccount == 0);

  fixture.seenAccount = -1;
  auto refused = fixture.send("POST", "/page");
  CHECK(refused.status == 403);
  CHECK(fixture.seenAccount == -1);
  CHECK(refused.headers["X-Frame-Options"] == "DENY");

  fixture.send("GET", "/page");
  CHECK(fixture.seenAccount == 7);
}

TEST_CASE("a plugin declaring a non-public route embeddable is refused with the reason, the server still serves") {
  ruche::testing::TempDir plugins;
  for (const char* name : {"probe", "badembed"}) {
    std::filesystem::copy(std::filesystem::path(RUCHE_TEST_PLUGINS) / name / name, plugins.path() / name,
                          std::filesystem::copy_options::recursive);
  }
  ruche::testing::TestServer::Options options;
  options.settings["plugins.dirs"] = plugins.path().string();
  ruche::testing::TestServer server(ruche::testing::Backend::Sqlite, options);
  auto& host = server.app().plugins();
  CHECK(host.loaded("probe"));
  CHECK_FALSE(host.loaded("badembed"));
  const auto* report = host.report("badembed");
  REQUIRE(report != nullptr);
  CHECK(report->problem.find("embeddable route GET /embed must be a public page route") != std::string::npos);
  CHECK(server.client().get("/healthz").status == 200);
}
