#include <filesystem>
#include <iostream>

#include "kernel/app/App.h"
#include "kernel/cli/Commands.h"
#include "kernel/storage/Migrator.h"

namespace ruche::cli {

int runMigrate(const CommandLine& line) {
  config::Settings settings = line.settings();
  std::filesystem::create_directories(settings.dataDir);
  auto db = storage::Database::open(settings.databaseUrl, 1);
  storage::Migrator migrator(*db);
  auto modules = app::App::allMigrations();
  if (line.flag("status")) {
    for (const auto& status : migrator.status(modules)) {
      std::cout << status.module << ": version " << status.applied << " of " << status.known
                << (status.applied < status.known ? " (pending)" : "") << "\n";
    }
    return 0;
  }
  int ran = migrator.migrate(modules);
  std::cout << "applied " << ran << " migration" << (ran == 1 ? "" : "s") << " to " << db->target().describe() << "\n";
  return 0;
}

}  // namespace ruche::cli
