// `ruche demo`: a federation to try Ruche in one command. First run fills the
// data folder; later runs reuse it and print the same login.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sys/stat.h>

#include "kernel/app/App.h"
#include "kernel/auth/Secrets.h"
#include "kernel/cli/CommandSupport.h"
#include "kernel/cli/Commands.h"
#include "kernel/cli/DemoData.h"
#include "kernel/domain/Missions.h"
#include "kernel/plugins/PluginHost.h"

namespace ruche::cli {
namespace {

namespace fs = std::filesystem;

std::string readPassword(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::string password;
  while (std::getline(in, line)) {
    if (line.rfind("password: ", 0) == 0) {
      password = line.substr(10);
    }
  }
  return password;
}

void writePassword(const fs::path& file, const std::string& password) {
  fs::path temporary = file;
  temporary += ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    ::chmod(temporary.c_str(), 0600);
    out << "Ruche demo administrator\n"
        << "email: " << kDemoAdminEmail << "\n"
        << "password: " << password << "\n";
    if (!out) {
      throw std::runtime_error("cannot write " + temporary.string());
    }
  }
  fs::rename(temporary, file);
  ::chmod(file.c_str(), 0600);
}

/// Makes sure the database holds the demo and returns the admin's password.
std::string prepare(storage::Database& db, const fs::path& dataDir) {
  fs::path passwordFile = dataDir / "demo-admin.txt";
  fs::path marker = dataDir / ".demo";
  std::string password = readPassword(passwordFile);
  bool seeded = demoSeeded(db);
  if (seeded && !password.empty()) {
    std::ofstream(marker) << "ruche demo\n";
    return password;
  }
  password = auth::randomToken(12);
  std::string hash = auth::hashPassword(password);  // once, for every demo account
  if (seeded) {
    // The data is there but its password file was lost: give it a new password.
    setDemoPasswords(db, hash);
  } else {
    std::cout << "Creating the demo federation in " << dataDir.string() << "…" << std::endl;
    seedDemo(db, hash);
  }
  writePassword(passwordFile, password);
  std::ofstream(marker) << "ruche demo\n";
  return password;
}

/// The path of the example plugin's page in the first association, after
/// switching it on there the first time; "" when hello is not installed.
std::string showExamplePlugin(app::App& app) {
  auto& plugins = app.plugins();
  if (!plugins.loaded("hello")) {
    return "";
  }
  storage::Database::Session session(app.services().db);
  long long id = 0;
  std::string slug;
  *session << "SELECT id, slug FROM associations ORDER BY id LIMIT 1", soci::into(id), soci::into(slug);
  if (!session->got_data()) {
    return "";
  }
  if (plugins.store().enabledAssociations("hello").empty()) {
    plugins.store().setEnabled("hello", id, true);
  }
  return "/a/" + slug + "/hello";
}

}  // namespace

int runDemo(const CommandLine& line) {
  config::Settings settings = line.settings();
  setUpLogging(settings.logLevel);
  blockStopSignals();
  fs::create_directories(settings.dataDir);
  app::App app(settings);
  storage::Database& db = app.services().db;
  std::string password = prepare(db, settings.dataDir);
  // The demo's missions are written in bulk by SQL: give them their search text.
  domain::Missions(db).fillSearchText();
  DemoCounts counts = demoCounts(db);
  std::string examplePlugin = showExamplePlugin(app);
  return serveUntilStopped(app, settings, [&](const std::string& url) {
    std::cout << "Ruche demo is running at " << url << "\n"
              << "  " << counts.associations << " associations, " << counts.missions << " published missions, "
              << counts.accounts << " accounts\n"
              << "  Admin login:    " << kDemoAdminEmail << "\n"
              << "  Admin password: " << password << "\n"
              << "  Every demo account (e.g. camille.martin@demo.ruche.local, coordinator\n"
              << "  karim.benali@demo.ruche.local) uses the same password. Stop with Ctrl+C." << std::endl;
    if (!examplePlugin.empty()) {
      std::cout << "  Example plugin: " << url << examplePlugin << std::endl;
    }
  });
}

}  // namespace ruche::cli
