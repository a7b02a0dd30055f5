#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <string>

#include "kernel/plugins/PluginHost.h"
#include "tests/kernel/RecordingChannel.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head", "options"};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// The {names} of a path pattern.
std::set<std::string> pathParameters(const std::string& pattern) {
  std::set<std::string> names;
  std::size_t open = pattern.find('{');
  while (open != std::string::npos) {
    std::size_t close = pattern.find('}', open);
    names.insert(pattern.substr(open + 1, close - open - 1));
    open = pattern.find('{', close);
  }
  return names;
}

/// A parameter object, following one local $ref into components.
Poco::JSON::Object::Ptr resolve(const Poco::JSON::Object::Ptr& document, Poco::JSON::Object::Ptr item) {
  if (item->has("$ref")) {
    std::string ref = item->getValue<std::string>("$ref");
    const std::string prefix = "#/components/parameters/";
    REQUIRE(ref.rfind(prefix, 0) == 0);
    item = document->getObject("components")->getObject("parameters")->getObject(ref.substr(prefix.size()));
    REQUIRE(item);
  }
  return item;
}

/// Fetches /api/v1/openapi.json and checks it against `server`'s router,
/// both ways: every route under /api/v1 is in it, every operation in it is
/// routed, each with responses and its path's {names} declared. Returns it.
Poco::JSON::Object::Ptr checkDocumentAgainstRouter(TestServer& server) {
  auto response = server.client().get("/api/v1/openapi.json");
  REQUIRE(response.status == 200);
  CHECK(response.header("Content-Type").find("application/json") == 0);
  Poco::JSON::Parser parser;
  auto document = parser.parse(response.body).extract<Poco::JSON::Object::Ptr>();
  CHECK(document->getValue<std::string>("openapi") == "3.0.3");
  auto schemes = document->getObject("components")->getObject("securitySchemes");
  REQUIRE(schemes);
  CHECK(schemes->getObject("bearerAuth")->getValue<std::string>("scheme") == "bearer");
  CHECK(document->getObject("components")->getObject("schemas")->has("Problem"));

  std::set<std::string> routed;
  for (const auto& route : server.app().router().routes()) {
    if (route.pattern.rfind("/api/v1/", 0) == 0) {
      routed.insert(lower(route.method) + " " + route.pattern);
    }
  }
  REQUIRE(routed.size() >= 20);

  std::set<std::string> documented;
  auto paths = document->getObject("paths");
  REQUIRE(paths);
  std::vector<std::string> patterns;
  paths->getNames(patterns);
  for (const auto& pattern : patterns) {
    auto item = paths->getObject(pattern);
    std::vector<std::string> methods;
    item->getNames(methods);
    for (const auto& method : methods) {
      if (kMethods.count(method) == 0) {
        continue;
      }
      std::string key = method + " " + pattern;
      documented.insert(key);
      INFO(key);
      auto operation = item->getObject(method);
      REQUIRE(operation);
      auto responses = operation->getObject("responses");
      REQUIRE(responses);
      CHECK(responses->size() > 0);
      // Every {name} of the path is declared as a required path parameter.
      std::set<std::string> declared;
      if (auto parameters = operation->getArray("parameters")) {
        for (std::size_t i = 0; i < parameters->size(); ++i) {
          auto parameter = resolve(document, parameters->getObject(static_cast<unsigned>(i)));
          if (parameter->getValue<std::string>("in") == "path") {
            CHECK(parameter->getValue<bool>("required"));
            declared.insert(parameter->getValue<std::string>("name"));
          }
        }
      }
      CHECK(declared == pathParameters(pattern));
    }
  }

  for (const auto& route : routed) {
    INFO("routed but not in openapi.json: " << route);
    CHECK(documented.count(route) == 1);
  }
  for (const auto& operation : documented) {
    INFO("in openapi.json but not routed: " << operation);
    CHECK(routed.count(operation) == 1);
  }
  return document;
}

}  // namespace

TEST_CASE("the served OpenAPI document describes exactly the routes under /api/v1") {
  TestServer server(Backend::Sqlite);
  checkDocumentAgainstRouter(server);
}

TEST_CASE("the plugins' own openapi.json join the served document, which still matches the routes") {
  TempDir plugins;
  TestServer server(Backend::Sqlite, TestServer::withPlugins(plugins.path(), {"petitions", "matching"}));
  REQUIRE(server.app().plugins().loaded("petitions"));
  REQUIRE(server.app().plugins().loaded("matching"));
  auto document = checkDocumentAgainstRouter(server);
  auto paths = document->getObject("paths");
  auto sign = paths->getObject("/api/v1/associations/{slug}/petitions/{id}/signatures");
  REQUIRE(sign);
  auto tags = sign->getObject("post")->getArray("tags");
  REQUIRE(tags);
  CHECK(tags->getElement<std::string>(0) == "petitions");  // tagged with the plugin's name
  CHECK(paths->has("/api/v1/plugins/matching/missions-for-me"));
  auto schemas = document->getObject("components")->getObject("schemas");
  CHECK(schemas->has("petitions.Petition"));
  CHECK(schemas->has("matching.Suggestion"));
  CHECK(schemas->has("Problem"));  // the kernel's stay
  bool tagged = false;
  auto allTags = document->getArray("tags");
  for (std::size_t i = 0; i < allTags->size(); ++i) {
    tagged = tagged || allTags->getObject(static_cast<unsigned>(i))->getValue<std::string>("name") == "petitions";
  }
  CHECK(tagged);

  // Switched off federation-wide, a plugin's part leaves the document with its routes' answers.
  server.app().plugins().store().setState("matching", "disabled", "test");
  auto again = server.client().get("/api/v1/openapi.json");
  REQUIRE(again.status == 200);
  CHECK(again.body.find("/api/v1/plugins/matching/") == std::string::npos);
  CHECK(again.body.find("/api/v1/associations/{slug}/petitions/{id}/signatures") != std::string::npos);
}

TEST_CASE("every API error is problem JSON as the document promises") {
  TestServer server(Backend::Sqlite);
  HttpClient http = server.client();
  for (const std::string path : {"/api/v1/nothing-here", "/api/v1/me/profile", "/api/v1/missions/abc"}) {
    auto response = http.get(path);
    INFO(path);
    CHECK(response.status >= 400);
    CHECK(response.header("Content-Type") == "application/problem+json");
    Poco::JSON::Parser parser;
    auto problem = parser.parse(response.body).extract<Poco::JSON::Object::Ptr>();
    CHECK(problem->getValue<int>("status") == response.status);
    CHECK(problem->has("title"));
  }
}

TEST_CASE("a plugin whose openapi.json leaves an API route out loads with a warning naming it") {
  TempDir plugins;
  auto options = TestServer::withPlugins(plugins.path(), {"petitions"});
  std::ofstream(plugins.path() / "petitions" / "openapi.json")
      << R"({"paths": {"/api/v1/associations/{slug}/petitions": {"get": {"responses": {"200": {"description": "OK"}}}}}})";
  RecordedLog log("ruche.plugins");
  TestServer server(Backend::Sqlite, options);
  CHECK(server.app().plugins().loaded("petitions"));
  std::string warning;
  for (const auto& line : log.lines()) {
    if (line.find("missing from its openapi.json") != std::string::npos) {
      warning = line;
    }
  }
  INFO(warning);
  REQUIRE(warning.find("plugin petitions: 6 API route(s)") == 0);
  std::set<std::string> named;
  std::string list = warning.substr(warning.find("openapi.json: ") + 14) + ", ";
  for (std::size_t at = 0, comma; (comma = list.find(", ", at)) != std::string::npos; at = comma + 2) {
    named.insert(list.substr(at, comma - at));
  }
  // The six routes the file leaves out, not the one it describes.
  CHECK(named.size() == 6);
  CHECK(named.count("POST /api/v1/associations/{slug}/petitions/{id}/signatures") == 1);
  CHECK(named.count("GET /api/v1/associations/{slug}/petitions/{id}/signatures/count") == 1);
  CHECK(named.count("GET /api/v1/associations/{slug}/petitions") == 0);
}

TEST_CASE("a plugin whose installed openapi.json is wrong still loads, its API left out of the document") {
  TempDir plugins;
  auto options = TestServer::withPlugins(plugins.path(), {"petitions"});
  std::ofstream(plugins.path() / "petitions" / "openapi.json") << R"({"paths": {"/api/v1/missions": {}}})";
  RecordedLog hostLog("ruche.plugins");
  RecordedLog pluginLog("ruche.plugin.petitions");
  TestServer server(Backend::Sqlite, options);
  CHECK(server.app().plugins().loaded("petitions"));
  // One warning, the refusal's: not a second one listing every route as missing.
  int refusals = 0;
  for (const auto& line : pluginLog.lines()) {
    refusals += line.find("left out of /api/v1/openapi.json") != std::string::npos ? 1 : 0;
  }
  CHECK(refusals == 1);
  for (const auto& line : hostLog.lines()) {
    CHECK(line.find("missing from its openapi.json") == std::string::npos);
  }
  auto response = server.client().get("/api/v1/openapi.json");
  REQUIRE(response.status == 200);
  CHECK(response.body.find("/api/v1/associations/{slug}/petitions") == std::string::npos);
  CHECK(response.body.find("/api/v1/missions") != std::string::npos);
}
