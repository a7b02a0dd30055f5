#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/config/Settings.h"

namespace ruche::cli {

/// `ruche COMMAND [SUBCOMMAND] [ARGS] [--option value] [--flag]`, parsed.
struct CommandLine {
  std::string command;
  std::vector<std::string> args;               ///< positional, after the command
  std::map<std::string, std::string> options;  ///< --name value / --name=value
  std::set<std::string> flags;                 ///< --name without a value
  bool help = false;

  std::optional<std::string> option(const std::string& name) const;
  bool flag(const std::string& name) const { return flags.count(name) != 0; }

  /// Settings from --config, RUCHE_* variables, --data and --listen.
  config::Settings settings() const;
};

/// Options that take a value; any other --name is a flag.
CommandLine parseCommandLine(int argc, char** argv, const std::set<std::string>& valueOptions);

/// Thrown for a usage mistake; main prints it and the command's help.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace ruche::cli
