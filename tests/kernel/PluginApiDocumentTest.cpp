// A plugin's part of /api/v1/openapi.json: what its openapi.json may hold,
// the refusals naming the file and the fault, and how parts join the
// kernel's document.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kernel/plugins/PluginApiDocument.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::plugins;
using ruche::testing::TempDir;

namespace {

const std::string kSignatures = R"("/api/v1/associations/{slug}/demo/{id}/signatures")";
const std::string kOperation = R"({"post": {"responses": {"202": {"description": "Accepted"}}}})";

/// A manifest named "demo" whose folder holds `text` as openapi.json (none when empty).
Manifest demoWith(const TempDir& dir, const std::string& text) {
  Manifest manifest;
  manifest.name = "demo";
  manifest.folder = dir.path().string();
  if (!text.empty()) {
    std::ofstream(dir.path() / "openapi.json") << text;
  }
  return manifest;
}

/// The message of the PluginError that reading `text` raises, or "" if none.
std::string refusal(const std::string& text) {
  TempDir dir;
  try {
    readPluginApiDocument(demoWith(dir, text));
  } catch (const PluginError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a plugin's openapi.json is optional and its operations get the plugin's tag") {
  TempDir none;
  CHECK(readPluginApiDocument(demoWith(none, "")).empty());

  TempDir dir;
  std::string part = readPluginApiDocument(demoWith(
      dir, R"({"paths": {)" + kSignatures + ": " + kOperation + R"(, "/api/v1/plugins/demo": {"get": {"tags": ["x"],
           "responses": {"200": {"description": "OK"}}}}}, "components": {"schemas": {"demo.Thing": {"type": "object"}}}})"));
  Poco::JSON::Parser parser;
  auto object = parser.parse(part).extract<Poco::JSON::Object::Ptr>();
  auto paths = object->getObject("paths");
  CHECK(paths->getObject("/api/v1/associations/{slug}/demo/{id}/signatures")
            ->getObject("post")
            ->getArray("tags")
            ->getElement<std::string>(0) == "demo");
  CHECK(paths->getObject("/api/v1/plugins/demo")->getObject("get")->getArray("tags")->getElement<std::string>(0) ==
        "x");  // its own tag kept
}

TEST_CASE("a plugin's openapi.json is refused with the file and the fault named") {
  CHECK(has(refusal("[1, 2]"), "openapi.json: not a JSON object"));
  CHECK(has(refusal("{\"paths\": "), "openapi.json: not JSON"));
  CHECK(has(refusal(R"({"paths": {}, "info": {}})"), "unknown key \"info\""));
  CHECK(has(refusal(R"({"components": {}})"), "\"paths\" must be an object"));
  // Only the plugin's own API: another plugin's, the kernel's, a look-alike prefix.
  for (const char* path : {"/api/v1/associations/{slug}/petitions/{id}", "/api/v1/missions",
                           "/api/v1/plugins/demonstration", "/a/{slug}/demo"}) {
    CAPTURE(path);
    CHECK(has(refusal(std::string(R"({"paths": {")") + path + "\": " + kOperation + "}}"),
              "is outside the plugin's API"));
  }
  for (const char* path : {"/api/v1/plugins/demo/../../missions", "/api/v1/plugins/demo//x",
                           "/api/v1/plugins/demo/x?y=1", "/api/v1/plugins/demo/"}) {
    CAPTURE(path);
    CHECK(has(refusal(std::string(R"({"paths": {")") + path + "\": " + kOperation + "}}"),
              "plain segments and {names} only"));
  }
  CHECK(has(refusal("null"), "not a JSON object"));
  CHECK(has(refusal(R"({"paths": []})"), "\"paths\" must be an object"));
  CHECK(has(refusal(R"({"paths": {)" + kSignatures + R"(: []}})"), "not an object"));
  CHECK(has(refusal(R"({"paths": {)" + kSignatures + R"(: {"post": 1}}})"), "an operation is an object"));
  CHECK(has(refusal(R"({"paths": {)" + kSignatures + R"(: {"parameters": {}, "post": {"responses": {"200": {}}}}}})"),
            "\"parameters\" must be an array"));
  CHECK(has(refusal(R"({"paths": {)" + kSignatures + R"(: {"post": {"parameters": 1, "responses": {"200": {}}}}}})"),
            "\"parameters\" must be an array"));
  CHECK(has(refusal(R"({"paths": {)" + kSignatures + R"(: {"post": {"tags": [], "responses": {"200": {}}}}}})"),
            "\"tags\" must be a non-empty array of names"));
  CHECK(has(refusal(R"({"paths": {)" + kSignatures + R"(: {"post": {"tags": [1], "responses": {"200": {}}}}}})"),
            "\"tags\" must be a non-empty array of names"));
  CHECK(has(refusal(R"({"paths": {}, "components": []})"), "\"components\" must be an object"));
  CHECK(has(refusal(R"({"paths": {}, "components": {"schemas": {"demo.X": 1}}})"), "not an object"));
  CHECK(has(refusal(R"({"paths": {)" + kSignatures + R"(: {"POST": {}}}})"), "unknown key \"POST\""));
  CHECK(has(refusal(R"({"paths": {)" + kSignatures + R"(: {"summary": "x"}}})"), "no operation"));
  CHECK(has(refusal(R"({"paths": {)" + kSignatures + R"(: {"post": {"responses": {}}}}})"),
            "an operation is an object with its \"responses\""));
  CHECK(has(refusal(R"({"paths": {}, "components": {"schemas": {"Thing": {}}}})"),
            "schema \"Thing\": a plugin's schema is named \"demo.…\""));
  CHECK(has(refusal(R"({"paths": {}, "components": {"responses": {}}})"), "unknown key \"responses\""));
  CHECK(refusal(R"({"paths": {}})").empty());  // an empty part is allowed
  CHECK(has(refusal(R"({"paths": {}})" + std::string(1024 * 1024, ' ')), "at most 1 MiB"));
}

TEST_CASE("the API routes a plugin's openapi.json leaves out are named") {
  TempDir dir;
  std::string part = readPluginApiDocument(demoWith(dir, R"({"paths": {)" + kSignatures + ": " + kOperation + "}}"));
  const std::string signatures = "/api/v1/associations/{slug}/demo/{id}/signatures";
  std::vector<PluginApiRoute> routes{{"POST", signatures}, {"GET", signatures}, {"GET", "/api/v1/plugins/demo"}};
  CHECK(undocumentedRoutes(part, routes) == std::vector<std::string>{"GET " + signatures, "GET /api/v1/plugins/demo"});
  CHECK(undocumentedRoutes(part, {{"POST", signatures}}).empty());
  // Without an openapi.json, every API route is undocumented.
  CHECK(undocumentedRoutes("", {{"POST", signatures}}) == std::vector<std::string>{"POST " + signatures});
}

TEST_CASE("the in-tree plugins' openapi.json pass the checks") {
  std::filesystem::path sources = std::filesystem::path(RUCHE_HELLO_PLUGIN_SOURCE).parent_path();
  for (const char* name : {"hello", "petitions", "matching"}) {
    CAPTURE(name);
    Manifest manifest;
    manifest.name = name;
    manifest.folder = (sources / name).string();
    std::string part;
    CHECK_NOTHROW(part = readPluginApiDocument(manifest));
    CHECK(has(part, "\"/api/v1/"));
  }
}

TEST_CASE("plugins' parts join the kernel's document, which is unchanged without any") {
  const std::string kernel = R"({"openapi": "3.0.3", "tags": [{"name": "meta"}], "paths": {"/api/v1/x": {}},
    "components": {"schemas": {"Problem": {}}}})";
  CHECK(withPluginApis(kernel, {}) == kernel);
  std::string joined = withPluginApis(
      kernel, {{"demo", R"({"paths": {"/api/v1/plugins/demo": {"get": {"tags": ["demo"], "responses": {}}}},
                          "components": {"schemas": {"demo.Thing": {"type": "object"}}}})"}});
  Poco::JSON::Parser parser;
  auto document = parser.parse(joined).extract<Poco::JSON::Object::Ptr>();
  CHECK(document->getObject("paths")->has("/api/v1/x"));
  CHECK(document->getObject("paths")->has("/api/v1/plugins/demo"));
  CHECK(document->getObject("components")->getObject("schemas")->has("Problem"));
  CHECK(document->getObject("components")->getObject("schemas")->has("demo.Thing"));
  CHECK(document->getArray("tags")->size() == 2);

  // A part never replaces the kernel's paths, and a tag name appears once.
  std::string clash =
      withPluginApis(kernel, {{"meta", R"({"paths": {"/api/v1/x": {"get": {"summary": "mine", "responses": {}}}}})"}});
  auto clashed = parser.parse(clash).extract<Poco::JSON::Object::Ptr>();
  CHECK(clashed->getObject("paths")->getObject("/api/v1/x")->size() == 0);
  CHECK(clashed->getArray("tags")->size() == 1);
}
