#include "kernel/cli/CommandSupport.h"

#include <Poco/Logger.h>

#include <filesystem>

#include "kernel/cli/Commands.h"
#include "kernel/cli/Reload.h"
#include "kernel/storage/Migrator.h"

namespace ruche::cli {

std::unique_ptr<storage::Database> openMigratedDatabase(const config::Settings& settings) {
  std::filesystem::create_directories(settings.dataDir);
  auto db = storage::Database::open(settings.databaseUrl, 1);
  storage::Migrator(*db).migrate(app::App::allMigrations());
  return db;
}

std::string describe(const http::HttpError& error) {
  if (error.fields().empty()) {
    return error.detail().empty() ? error.title() : error.detail();
  }
  std::string text;
  for (const auto& field : error.fields()) {
    if (!text.empty()) {
      text += "; ";
    }
    text += field.field + ": " + field.message;
  }
  return text;
}

std::string requiredOption(const CommandLine& line, const std::string& name) {
  auto value = line.option(name);
  if (!value || value->empty()) {
    throw UsageError("--" + name + " is required");
  }
  return *value;
}

int serveUntilStopped(app::App& app, const config::Settings& settings,
                      const std::function<void(const std::string& url)>& announce) {
  // A plugin installed from the admin panel is loaded by reloading, as after `ruche plugin install`.
  app.services().reloadServer = [] { reloadSoon(std::chrono::milliseconds(200)); };
  app.start();
  auto& log = Poco::Logger::get("ruche");
  log.information("serving %s on %s (database: %s)", app.url(),
                  settings.http.listenHost + ":" + std::to_string(app.port()), app.services().db.target().describe());
  syncLogs();  // the startup lines come before the announcement, which scripts wait for
  announce(app.url());
  writePidFile(settings.dataDir);
  std::string signal = waitForStopSignal();
  log.information("%s received: finishing in-flight requests", signal);
  app.stop();
  removePidFile(settings.dataDir);
  if (signal == "SIGHUP") {
    log.information("stopped: starting again to reload the configuration and plugins");
    requestRestart();
    return 0;
  }
  log.information("stopped");
  return 0;
}

}  // namespace ruche::cli
