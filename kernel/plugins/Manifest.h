#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/plugins/VersionRange.h"

namespace ruche::plugins {

/// A problem with one plugin: which plugin, which file or field, why. The
/// message is the whole sentence shown to admins and in the log.
class PluginError : public std::runtime_error {
 public:
  PluginError(std::string plugin, const std::string& message)
      : std::runtime_error("plugin \"" + plugin + "\": " + message), plugin_(std::move(plugin)) {}
  const std::string& plugin() const { return plugin_; }

 private:
  std::string plugin_;
};

/// A text in French and English.
struct Texts {
  std::string fr;
  std::string en;
  const std::string& in(const std::string& locale) const { return locale == "en" ? en : fr; }
};

/// One entry of a plugin's settings schema (docs/plugin-manifest.md).
struct SettingDefinition {
  std::string key;
  std::string type;  ///< text, textarea, integer, boolean, choice, secret, url, email
  Texts label;
  Texts help;
  std::string defaultValue;  ///< as stored: "true"/"false" for booleans, digits for integers
  bool required = false;
  std::optional<long long> min;
  std::optional<long long> max;
  int maxLength = 500;
  std::vector<std::string> choices;
  bool isSecret() const { return type == "secret"; }
};

/// The validated content of a plugin.json.
struct Manifest {
  std::string name;
  SemVer version;
  VersionRange sdk = VersionRange::parse(">=0");
  Texts title;
  Texts description;
  std::map<std::string, VersionRange> dependencies;
  std::set<std::string> capabilities;
  std::vector<SettingDefinition> settings;
  std::string author;
  std::string license;
  std::string homepage;
  std::string folder;  ///< where plugin.json was read

  bool can(const std::string& capability) const { return capabilities.count(capability) != 0; }
  const SettingDefinition* setting(const std::string& key) const;
  std::string libraryPath() const { return folder + "/" + name + ".so"; }
};

/// Reads and validates `<folder>/plugin.json`. Throws PluginError naming the
/// file and the field: a plugin is refused before its library is touched.
Manifest readManifest(const std::string& folder);

/// The same from text, for tests and `ruche plugin install`; `file` names it in messages.
Manifest parseManifest(const std::string& text, const std::string& file);

/// The capabilities a manifest may list.
const std::set<std::string>& knownCapabilities();

}  // namespace ruche::plugins
