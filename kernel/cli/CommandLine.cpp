#include "kernel/cli/CommandLine.h"

#include "kernel/config/SettingsLoader.h"

namespace ruche::cli {

std::optional<std::string> CommandLine::option(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) {
    return std::nullopt;
  }
  return it->second;
}

config::Settings CommandLine::settings() const {
  std::map<std::string, std::string> overrides;
  if (auto data = option("data")) {
    overrides["data.dir"] = *data;
  }
  if (auto listen = option("listen")) {
    overrides["http.listen"] = *listen;
  }
  return config::loadSettings(option("config"), config::rucheEnvironment(), overrides);
}

CommandLine parseCommandLine(int argc, char** argv, const std::set<std::string>& valueOptions) {
  CommandLine line;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      line.help = true;
    } else if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      auto eq = name.find('=');
      if (eq != std::string::npos) {
        line.options[name.substr(0, eq)] = name.substr(eq + 1);
      } else if (valueOptions.count(name) != 0) {
        if (i + 1 >= argc) {
          throw UsageError("--" + name + " needs a value");
        }
        line.options[name] = argv[++i];
      } else {
        line.flags.insert(name);
      }
    } else if (line.command.empty()) {
      line.command = arg;
    } else {
      line.args.push_back(arg);
    }
  }
  return line;
}

}  // namespace ruche::cli
