// `ruche`: the one executable a federation runs. Each command is a file in
// this folder; this page only dispatches and turns errors into exit codes.
#include <cerrno>
#include <cstring>
#include <iostream>

#include "kernel/cli/Commands.h"
#include "kernel/cli/Reload.h"
#include "kernel/config/ConfigError.h"
#include "kernel/storage/Migrator.h"

namespace {

void printOverview() {
  std::cout << "Usage: ruche COMMAND [OPTIONS]\n\nCommands:\n";
  for (const auto& command : ruche::cli::commands()) {
    std::cout << "  " << command.name << std::string(10 - std::min<std::size_t>(9, command.name.size()), ' ')
              << command.summary << "\n";
  }
  std::cout << "\nOptions every command takes:\n"
               "  --config FILE   configuration file (key = value lines)\n"
               "  --data DIR      data folder (SQLite database, uploads)\n"
               "  --help          help on a command\n"
               "RUCHE_DATABASE_URL and other RUCHE_* variables override the file.\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ruche::cli;
  CommandLine line;
  try {
    line = parseCommandLine(
        argc, argv,
        {"config", "data", "listen", "email", "name", "password", "role", "slug", "org", "description", "dir"});
  } catch (const UsageError& e) {
    std::cerr << "ruche: " << e.what() << "\n";
    return 2;
  }
  if (line.command.empty()) {
    printOverview();
    return line.help ? 0 : 2;
  }
  for (const auto& command : commands()) {
    if (command.name != line.command) {
      continue;
    }
    if (line.help) {
      std::cout << command.help;
      return 0;
    }
    // Whatever way the command ends, queued log lines are written first.
    struct FlushLogsOnExit {
      ~FlushLogsOnExit() { flushLogs(); }
    } flushOnExit;
    try {
      int status = command.run(line);
      if (restartRequested()) {
        flushLogs();
        restartProcess(argv);
        std::cerr << "ruche: could not start again: " << std::strerror(errno) << "\n";
        return 1;
      }
      return status;
    } catch (const UsageError& e) {
      std::cerr << "ruche " << command.name << ": " << e.what() << "\n\n" << command.help;
      return 2;
    } catch (const ruche::config::ConfigError& e) {
      std::cerr << "ruche: " << e.what() << "\n";
      return 2;
    } catch (const ruche::storage::SchemaTooNew& e) {
      std::cerr << "ruche: refusing to start: " << e.what() << "\n";
      return 3;
    } catch (const std::exception& e) {
      std::cerr << "ruche " << command.name << ": " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "ruche: unknown command \"" << line.command << "\"\n\n";
  printOverview();
  return 2;
}
