#include "kernel/plugins/PluginApiDocument.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace ruche::plugins {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxBytes = 1024 * 1024;
const std::set<std::string> kOperations{"get", "put", "post", "delete", "patch"};
const std::set<std::string> kPathItemKeys{"get",   "put",     "post",        "delete",
                                          "patch", "summary", "description", "parameters"};

/// Parses JSON text whose top level must be an object, keeping its keys'
/// order (the served document reads as written).
Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  Poco::Dynamic::Var parsed = parser.parse(text);
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

bool within(const std::string& path, const std::string& prefix) {
  return path == prefix || path.rfind(prefix + "/", 0) == 0;
}

/// A path of plain segments and {names}: no empty, "." or ".." segment, no
/// query or other punctuation (so that no path climbs out of the prefix).
bool plainPath(const std::string& path) {
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    std::string segment = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return false;
    }
    for (char c : segment) {
      bool allowed = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' || c == '~' ||
                     c == '{' || c == '}';
      if (!allowed) {
        return false;
      }
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return true;
}

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

/// Checks one path item: known keys only, at least one operation, each
/// operation an object with responses.
void checkPathItem(const std::string& path, const Poco::JSON::Object::Ptr& item,
                   const std::function<void(const std::string&)>& fail) {
  if (!item) {
    fail("path " + quoted(path) + ": not an object");
  }
  bool anyOperation = false;
  for (const auto& key : item->getNames()) {
    if (kPathItemKeys.count(key) == 0) {
      fail("path " + quoted(path) + ": unknown key " + quoted(key) +
           " (operations are get, put, post, delete and patch, in lower case)");
    }
    if (key == "parameters" && !item->getArray(key)) {
      fail("path " + quoted(path) + ": \"parameters\" must be an array");
    }
    if (kOperations.count(key) == 0) {
      continue;
    }
    anyOperation = true;
    auto operation = item->getObject(key);
    auto responses = operation ? operation->getObject("responses") : nullptr;
    if (!responses || responses->size() == 0) {
      fail(quoted(key + " " + path) + ": an operation is an object with its \"responses\"");
    }
    if (operation->has("parameters") && !operation->getArray("parameters")) {
      fail(quoted(key + " " + path) + ": \"parameters\" must be an array");
    }
    if (operation->has("tags")) {
      auto tags = operation->getArray("tags");
      bool strings = tags && tags->size() > 0;
      for (std::size_t i = 0; strings && i < tags->size(); ++i) {
        strings = tags->get(static_cast<unsigned>(i)).isString();
      }
      if (!strings) {
        fail(quoted(key + " " + path) + ": \"tags\" must be a non-empty array of names");
      }
    }
  }
  if (!anyOperation) {
    fail("path " + quoted(path) + ": no operation");
  }
}

}  // namespace

std::string readPluginApiDocument(const Manifest& manifest) {
  fs::path file = fs::path(manifest.folder) / "openapi.json";
  auto fail = [&](const std::string& what) { throw PluginError(manifest.name, file.string() + ": " + what); };
  std::error_code error;
  if (!fs::exists(file, error)) {
    if (error) {
      fail("cannot be read: " + error.message());
    }
    return "";
  }
  if (!fs::is_regular_file(file, error) || fs::file_size(file, error) > kMaxBytes) {
    fail("not a file of at most 1 MiB");
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream read;
  read << in.rdbuf();
  if (!in) {
    fail("cannot be read");
  }
  const std::string text = read.str();
  // The top level must be an object: a first character other than "{"
  // (null, an array, a number) is said so, not as the parser's complaint.
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] != '{') {
    fail("not a JSON object");
  }
  Poco::JSON::Object::Ptr root;
  try {
    root = parseObject(text);
  } catch (const Poco::BadCastException&) {
    fail("not a JSON object");
  } catch (const Poco::Exception& e) {
    fail("not JSON: " + e.displayText());
  }
  if (!root) {
    fail("not a JSON object");
  }
  for (const auto& key : root->getNames()) {
    if (key != "paths" && key != "components") {
      fail("unknown key " + quoted(key) + " (a plugin's part has \"paths\" and \"components\" only)");
    }
  }
  auto paths = root->getObject("paths");
  if (!paths) {
    fail("\"paths\" must be an object");
  }
  const std::string association = "/api/v1/associations/{slug}/" + manifest.name;
  const std::string federation = "/api/v1/plugins/" + manifest.name;
  for (const auto& path : paths->getNames()) {
    if ((!within(path, association) && !within(path, federation)) || !plainPath(path)) {
      fail("path " + quoted(path) + " is outside the plugin's API (" + association + "… or " + federation +
           "…, plain segments and {names} only)");
    }
    auto item = paths->getObject(path);
    checkPathItem(path, item, fail);
    for (const auto& key : item->getNames()) {
      auto operation = kOperations.count(key) != 0 ? item->getObject(key) : nullptr;
      if (operation && !operation->has("tags")) {
        auto tags = Poco::JSON::Array::Ptr(new Poco::JSON::Array);
        tags->add(manifest.name);
        operation->set("tags", tags);
      }
    }
  }
  if (root->has("components")) {
    auto components = root->getObject("components");
    if (!components) {
      fail("\"components\" must be an object");
    }
    for (const auto& key : components->getNames()) {
      if (key != "schemas") {
        fail("components: unknown key " + quoted(key) + " (a plugin adds \"schemas\" only)");
      }
    }
    auto schemas = components->getObject("schemas");
    if (!schemas) {
      fail("components: \"schemas\" must be an object");
    }
    for (const auto& name : schemas->getNames()) {
      if (name.rfind(manifest.name + ".", 0) != 0 || name.size() == manifest.name.size() + 1) {
        fail("schema " + quoted(name) + ": a plugin's schema is named " + quoted(manifest.name + ".…"));
      }
      if (!schemas->getObject(name)) {
        fail("schema " + quoted(name) + ": not an object");
      }
    }
  }
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(root, out, 0, -1, Poco::JSON_PRESERVE_KEY_ORDER);
  return out.str();
}

std::vector<std::string> undocumentedRoutes(const std::string& apiDocument, const std::vector<PluginApiRoute>& routes) {
  Poco::JSON::Object::Ptr paths;
  if (!apiDocument.empty()) {
    paths = parseObject(apiDocument)->getObject("paths");
  }
  std::vector<std::string> missing;
  for (const auto& route : routes) {
    std::string operation = route.method;
    for (auto& c : operation) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto item = paths ? paths->getObject(route.pattern) : nullptr;
    if (!item || !item->has(operation)) {
      missing.push_back(route.method + " " + route.pattern);
    }
  }
  return missing;
}

std::string withPluginApis(const std::string& kernelDocument, const std::vector<PluginApiPart>& parts) {
  if (parts.empty()) {
    return kernelDocument;
  }
  Poco::JSON::Object::Ptr document = parseObject(kernelDocument);
  auto paths = document->getObject("paths");
  auto tags = document->getArray("tags");
  auto schemas = document->getObject("components")->getObject("schemas");
  std::set<std::string> tagNames;
  for (std::size_t i = 0; i < tags->size(); ++i) {
    tagNames.insert(tags->getObject(static_cast<unsigned>(i))->getValue<std::string>("name"));
  }
  for (const auto& [name, text] : parts) {
    Poco::JSON::Object::Ptr part = parseObject(text);  // a copy of its own, parsed again
    if (tagNames.insert(name).second) {                // a tag name appears once
      auto tag = Poco::JSON::Object::Ptr(new Poco::JSON::Object(true));
      tag->set("name", name);
      tag->set("description", "Plugin " + quoted(name));
      tags->add(tag);
    }
    auto partPaths = part->getObject("paths");
    for (const auto& path : partPaths->getNames()) {
      if (!paths->has(path)) {  // the kernel's own stay as they are
        paths->set(path, partPaths->get(path));
      }
    }
    if (auto components = part->getObject("components")) {
      auto partSchemas = components->getObject("schemas");
      for (const auto& schema : partSchemas->getNames()) {
        schemas->set(schema, partSchemas->get(schema));
      }
    }
  }
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(document, out, 0, -1, Poco::JSON_PRESERVE_KEY_ORDER);
  return out.str();
}

}  // namespace ruche::plugins
