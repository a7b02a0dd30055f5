#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/config/Settings.h"

namespace ruche::config {

/// One documented configuration key: its name, the RUCHE_* variable that
/// overrides it, and a one-line help text (shown by `ruche doctor` and docs).
struct KeyInfo {
  std::string key;
  std::string envVar;
  std::string help;
};

/// Every key Ruche understands; anything else in a config file is an error.
const std::vector<KeyInfo>& knownKeys();

/// Builds Settings from, in increasing priority: defaults, the config file
/// (`key = value` lines), RUCHE_* environment variables, then command-line
/// overrides. Throws ConfigError naming the first bad key.
Settings loadSettings(const std::optional<std::string>& configFile,
                      const std::map<std::string, std::string>& environment,
                      const std::map<std::string, std::string>& overrides);

/// The process environment as a map (only RUCHE_* variables).
std::map<std::string, std::string> rucheEnvironment();

}  // namespace ruche::config
