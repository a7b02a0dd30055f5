#include "kernel/themes/ThemeManifest.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <regex>
#include <set>
#include <stdexcept>

namespace ruche::themes {
namespace {

const std::regex kName("^[a-z0-9][a-z0-9_-]{0,39}$");
const std::regex kVersion(R"(^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$)");

[[noreturn]] void refuse(const std::string& file, const std::string& problem) {
  throw std::runtime_error(file + ": " + problem);
}

std::string stringField(const Poco::JSON::Object& object, const std::string& key, const std::string& file,
                        bool required) {
  if (!object.has(key) || object.isNull(key)) {
    if (required) {
      refuse(file, "\"" + key + "\" is missing");
    }
    return "";
  }
  Poco::Dynamic::Var value = object.get(key);
  if (!value.isString()) {
    refuse(file, "\"" + key + "\" must be a string");
  }
  return value.extract<std::string>();
}

}  // namespace

bool validThemeName(const std::string& name) {
  return std::regex_match(name, kName);
}

ThemeManifest parseThemeManifest(const std::string& text, const std::string& file, const std::string& folderName) {
  Poco::JSON::Object::Ptr object;
  try {
    object = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    refuse(file, std::string("not a JSON object: ") + e.what());
  }
  static const std::set<std::string> known = {"name", "version", "parent", "title", "description"};
  for (const auto& [key, value] : *object) {
    if (known.count(key) == 0) {
      refuse(file, "unknown key \"" + key + "\" (known: name, version, parent, title, description)");
    }
  }
  ThemeManifest manifest;
  manifest.name = stringField(*object, "name", file, true);
  if (!validThemeName(manifest.name)) {
    refuse(file, "\"name\" must be 1 to 40 of a-z, 0-9, - and _, got \"" + manifest.name + "\"");
  }
  if (manifest.name != folderName) {
    refuse(file, "\"name\" is \"" + manifest.name + "\" but the folder is \"" + folderName + "\"");
  }
  manifest.version = stringField(*object, "version", file, true);
  if (!std::regex_match(manifest.version, kVersion)) {
    refuse(file, "\"version\" must be a semantic version such as 1.0.0, got \"" + manifest.version + "\"");
  }
  std::string parent = stringField(*object, "parent", file, false);
  if (!parent.empty()) {
    if (!validThemeName(parent)) {
      refuse(file, "\"parent\" is not a theme name: \"" + parent + "\"");
    }
    if (parent == manifest.name) {
      refuse(file, "a theme cannot be its own parent");
    }
    manifest.parent = parent;
  }
  manifest.title = stringField(*object, "title", file, false);
  if (manifest.title.empty()) {
    manifest.title = manifest.name;
  }
  manifest.description = stringField(*object, "description", file, false);
  return manifest;
}

}  // namespace ruche::themes
