#include "kernel/plugins/Manifest.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "kernel/plugins/SettingsSchema.h"

namespace ruche::plugins {
namespace {

using Poco::JSON::Object;

/// Names a plugin cannot take: its tables are "<name>_…", so a name that
/// prefixes kernel tables ("mission" → mission_skills) would let a purge drop
/// them; and its pages live at /a/<slug>/<name>, where the kernel has pages.
const std::set<std::string> kReservedNames = {
    "account", "admin",  "api",    "application", "applications", "association",  "availability", "calendar",
    "email",   "event",  "events", "federation",  "hours",        "job",          "kernel",       "login",
    "mail",    "manage", "me",     "mission",     "missions",     "notification", "plugin",       "plugins",
    "profile", "ruche",  "schema", "session",     "skill",        "sqlite",       "webhook",      "webhooks"};

const std::regex kNamePattern("^[a-z][a-z0-9_]{1,30}$");
const std::regex kSettingKeyPattern("^[a-z][a-z0-9_]{0,40}$");
const std::set<std::string> kTopLevelKeys = {"name",        "version",      "sdk",          "title",
                                             "description", "dependencies", "capabilities", "settings",
                                             "author",      "license",      "homepage"};
const std::set<std::string> kSettingKeys = {"key",      "type", "label", "help",      "default",
                                            "required", "min",  "max",   "maxLength", "choices"};
const std::set<std::string> kSettingTypes = {"text",   "textarea", "integer", "boolean",
                                             "choice", "secret",   "url",     "email"};

/// Raises the error every check here reports: file, field, reason.
class Checker {
 public:
  Checker(std::string file, std::string plugin) : file_(std::move(file)), plugin_(std::move(plugin)) {}
  [[noreturn]] void fail(const std::string& field, const std::string& why) const {
    throw PluginError(plugin_, file_ + ": field \"" + field + "\": " + why);
  }
  void setPlugin(const std::string& plugin) { plugin_ = plugin; }

  std::string requiredString(const Object& object, const std::string& key, const std::string& field) const {
    if (!object.has(key)) {
      fail(field, "is required");
    }
    return string(object, key, field);
  }
  std::string string(const Object& object, const std::string& key, const std::string& field) const {
    if (!object.has(key)) {
      return "";
    }
    auto value = object.get(key);
    if (!value.isString()) {
      fail(field, "must be a string");
    }
    return value.extract<std::string>();
  }
  Texts texts(const Object& object, const std::string& key, const std::string& field, bool required) const {
    if (!object.has(key)) {
      if (required) {
        fail(field, "is required (an object {\"fr\": …, \"en\": …})");
      }
      return {};
    }
    auto inner = object.getObject(key);
    if (!inner) {
      fail(field, "must be an object {\"fr\": …, \"en\": …}");
    }
    Texts texts;
    for (const auto& [lang, value] : *inner) {
      if (lang != "fr" && lang != "en") {
        fail(field + "." + lang, "unknown language (expected fr and en)");
      }
      if (!value.isString() || value.extract<std::string>().empty()) {
        fail(field + "." + lang, "must be a non-empty string");
      }
      (lang == "fr" ? texts.fr : texts.en) = value.extract<std::string>();
    }
    if (texts.fr.empty() || texts.en.empty()) {
      fail(field, std::string("needs a ") + (texts.fr.empty() ? "French (fr)" : "English (en)") + " text");
    }
    return texts;
  }
  void onlyKnownKeys(const Object& object, const std::set<std::string>& known, const std::string& prefix) const {
    for (const auto& [key, value] : object) {
      if (known.count(key) == 0) {
        fail(prefix + key, "unknown key (a typo?)");
      }
    }
  }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::string plugin_;
};

std::string scalarText(const Poco::Dynamic::Var& value) {
  if (value.isBoolean()) {
    return value.extract<bool>() ? "true" : "false";
  }
  return value.convert<std::string>();
}

SettingDefinition readSetting(const Checker& check, const Object& object, std::size_t index,
                              std::set<std::string>& seen) {
  std::string at = "settings[" + std::to_string(index) + "]";
  check.onlyKnownKeys(object, kSettingKeys, at + ".");
  SettingDefinition def;
  def.key = check.requiredString(object, "key", at + ".key");
  if (!std::regex_match(def.key, kSettingKeyPattern)) {
    check.fail(at + ".key", "\"" + def.key + "\" must match [a-z][a-z0-9_]*");
  }
  if (!seen.insert(def.key).second) {
    check.fail(at + ".key", "\"" + def.key + "\" is declared twice");
  }
  at = "settings." + def.key;
  def.type = check.requiredString(object, "type", at + ".type");
  if (kSettingTypes.count(def.type) == 0) {
    check.fail(at + ".type",
               "\"" + def.type + "\" is not one of text, textarea, integer, boolean, choice, secret, url, email");
  }
  def.label = check.texts(object, "label", at + ".label", true);
  def.help = check.texts(object, "help", at + ".help", false);
  if (object.has("required")) {
    if (!object.get("required").isBoolean()) {
      check.fail(at + ".required", "must be true or false");
    }
    def.required = object.getValue<bool>("required");
  }
  for (const char* bound : {"min", "max", "maxLength"}) {
    if (!object.has(bound)) {
      continue;
    }
    auto value = object.get(bound);
    if (!value.isInteger()) {
      check.fail(at + "." + bound, "must be an integer");
    }
    long long number = value.convert<long long>();
    if (std::string(bound) == "maxLength") {
      if (number < 1 || number > 100000) {
        check.fail(at + ".maxLength", "must be between 1 and 100000");
      }
      def.maxLength = static_cast<int>(number);
    } else {
      (std::string(bound) == "min" ? def.min : def.max) = number;
    }
  }
  if (object.has("choices")) {
    auto choices = object.getArray("choices");
    if (!choices || choices->size() == 0) {
      check.fail(at + ".choices", "must be a non-empty array of strings");
    }
    for (std::size_t i = 0; i < choices->size(); ++i) {
      if (!choices->get(static_cast<unsigned>(i)).isString()) {
        check.fail(at + ".choices", "must be a non-empty array of strings");
      }
      def.choices.push_back(choices->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  if (def.type == "choice" && def.choices.empty()) {
    check.fail(at + ".choices", "is required for a choice");
  }
  if (object.has("default")) {
    auto value = object.get("default");
    if (value.isArray() || value.isStruct() || value.isEmpty()) {
      check.fail(at + ".default", "must be a string, a number or a boolean");
    }
    def.defaultValue = scalarText(value);
    if (auto problem = checkSettingValue(def, def.defaultValue)) {
      check.fail(at + ".default", problem->message);
    }
  } else if (def.type == "boolean") {
    def.defaultValue = "false";
  }
  return def;
}

}  // namespace

const std::set<std::string>& knownCapabilities() {
  static const std::set<std::string> capabilities = {"events.subscribe", "jobs", "personal-data", "federation", "mail"};
  return capabilities;
}

const SettingDefinition* Manifest::setting(const std::string& key) const {
  for (const auto& def : settings) {
    if (def.key == key) {
      return &def;
    }
  }
  return nullptr;
}

Manifest parseManifest(const std::string& text, const std::string& file) {
  std::string guess = std::filesystem::path(file).parent_path().filename().string();
  Checker check(file, guess.empty() ? "?" : guess);
  Object::Ptr root;
  try {
    root = Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
  } catch (const std::exception& e) {
    throw PluginError(guess.empty() ? "?" : guess, file + ": not a JSON object: " + e.what());
  }
  Manifest manifest;
  manifest.name = check.requiredString(*root, "name", "name");
  if (!std::regex_match(manifest.name, kNamePattern)) {
    check.fail("name",
               "\"" + manifest.name + "\" must be 2 to 31 characters of a-z, 0-9 and _, starting with a letter");
  }
  if (kReservedNames.count(manifest.name) != 0) {
    check.fail("name", "\"" + manifest.name + "\" is reserved by the kernel (its tables or pages use it)");
  }
  check.setPlugin(manifest.name);
  check.onlyKnownKeys(*root, kTopLevelKeys, "");
  std::string version = check.requiredString(*root, "version", "version");
  auto parsed = SemVer::parse(version);
  if (!parsed) {
    check.fail("version", "\"" + version + "\" is not a version MAJOR.MINOR.PATCH");
  }
  manifest.version = *parsed;
  try {
    manifest.sdk = VersionRange::parse(check.requiredString(*root, "sdk", "sdk"));
  } catch (const std::invalid_argument& e) {
    check.fail("sdk", e.what());
  }
  manifest.title = check.texts(*root, "title", "title", true);
  manifest.description = check.texts(*root, "description", "description", true);
  if (root->has("dependencies")) {
    auto deps = root->getObject("dependencies");
    if (!deps) {
      check.fail("dependencies", "must be an object {\"plugin\": \"range\"}");
    }
    for (const auto& [name, range] : *deps) {
      if (!std::regex_match(name, kNamePattern) || !range.isString()) {
        check.fail("dependencies." + name, "must name a plugin and give a version range as a string");
      }
      if (name == manifest.name) {
        check.fail("dependencies." + name, "a plugin cannot depend on itself");
      }
      try {
        manifest.dependencies.emplace(name, VersionRange::parse(range.extract<std::string>()));
      } catch (const std::invalid_argument& e) {
        check.fail("dependencies." + name, e.what());
      }
    }
  }
  if (root->has("capabilities")) {
    auto list = root->getArray("capabilities");
    if (!list) {
      check.fail("capabilities", "must be an array of strings");
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto value = list->get(static_cast<unsigned>(i));
      std::string capability = value.isString() ? value.extract<std::string>() : "";
      if (knownCapabilities().count(capability) == 0) {
        check.fail("capabilities[" + std::to_string(i) + "]",
                   "\"" + capability + "\" is not one of events.subscribe, jobs, personal-data, federation, mail");
      }
      manifest.capabilities.insert(capability);
    }
  }
  if (root->has("settings")) {
    auto list = root->getArray("settings");
    if (!list) {
      check.fail("settings", "must be an array of setting objects");
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto entry = list->getObject(static_cast<unsigned>(i));
      if (!entry) {
        check.fail("settings[" + std::to_string(i) + "]", "must be an object");
      }
      manifest.settings.push_back(readSetting(check, *entry, i, seen));
    }
  }
  manifest.author = check.string(*root, "author", "author");
  manifest.license = check.string(*root, "license", "license");
  manifest.homepage = check.string(*root, "homepage", "homepage");
  manifest.folder = std::filesystem::path(file).parent_path().string();
  return manifest;
}

Manifest readManifest(const std::string& folder) {
  std::filesystem::path file = std::filesystem::path(folder) / "plugin.json";
  std::string plugin = std::filesystem::path(folder).filename().string();
  std::ifstream in(file);
  if (!in) {
    throw PluginError(plugin, file.string() + ": missing (every plugin folder needs a plugin.json)");
  }
  std::stringstream text;
  text << in.rdbuf();
  Manifest manifest = parseManifest(text.str(), file.string());
  if (manifest.name != plugin) {
    throw PluginError(manifest.name, file.string() + ": field \"name\": \"" + manifest.name +
                                         "\" differs from the folder's name \"" + plugin + "\"");
  }
  return manifest;
}

}  // namespace ruche::plugins
