#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/plugins/Manifest.h"

namespace ruche::plugins {

/// Why one value does not fit its setting.
struct SettingProblem {
  std::string key;
  std::string code;  ///< "required", "integer", "min", "max", "too_long", "utf8", "choice", "url", "email", "boolean"
  std::string message;  ///< English
};

/// Checks one value, as text, against its definition. Empty means "not
/// given": a problem only when the setting is required.
std::optional<SettingProblem> checkSettingValue(const SettingDefinition& definition, const std::string& value);

/// What an admin submitted for a plugin's settings, checked as a whole.
/// Booleans come from checkboxes: absent means "false". A secret left empty
/// keeps its stored value (`current`), so the form never shows a secret.
struct SettingsUpdate {
  std::map<std::string, std::string> values;  ///< every key of the schema
  std::vector<SettingProblem> problems;
};
SettingsUpdate checkSettings(const Manifest& manifest, const std::map<std::string, std::string>& submitted,
                             const std::map<std::string, std::string>& current);

}  // namespace ruche::plugins
