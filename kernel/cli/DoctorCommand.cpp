// `ruche doctor`: checks an installation and prints one line per check, so a
// federation admin sees at once what is wrong and where.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <unistd.h>

#include "kernel/app/App.h"
#include "kernel/cli/Commands.h"
#include "kernel/config/ConfigError.h"
#include "kernel/mail/Mailer.h"
#include "kernel/plugins/PluginCatalog.h"
#include "kernel/storage/Migrator.h"
#include "kernel/themes/Templates.h"

namespace ruche::cli {
namespace {

/// Prints the checks and remembers whether one failed.
class Report {
 public:
  void ok(const std::string& check, const std::string& detail) { line("OK", check, detail); }
  void warn(const std::string& check, const std::string& detail) { line("WARN", check, detail); }
  void fail(const std::string& check, const std::string& detail) {
    failed_ = true;
    line("FAIL", check, detail);
  }
  bool failed() const { return failed_; }

 private:
  void line(const std::string& status, const std::string& check, const std::string& detail) {
    std::cout << std::left << std::setw(5) << status << std::setw(12) << check << detail << std::endl;
  }
  bool failed_ = false;
};

void checkDataDir(Report& report, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    report.fail("data", dir + " does not exist (create it, or run `ruche migrate`)");
    return;
  }
  fs::path probe = fs::path(dir) / (".doctor-" + std::to_string(::getpid()));
  {
    std::ofstream out(probe);
    out << "ruche doctor\n";
    if (!out) {
      report.fail("data", dir + " is not writable by this user");
      return;
    }
  }
  fs::remove(probe, ec);
  report.ok("data", dir + " exists and is writable");
}

void checkDatabase(Report& report, const config::Settings& settings) {
  std::unique_ptr<storage::Database> db;
  try {
    db = storage::Database::open(settings.databaseUrl, 1);
    storage::Database::Session session(*db);
    int one = 0;
    *session << "SELECT 1", soci::into(one);
    report.ok("database", db->target().describe() + " is reachable");
  } catch (const std::exception& e) {
    report.fail("database", std::string("unreachable: ") + e.what());
    report.fail("migrations", "not checked: no database");
    return;
  }
  try {
    for (const auto& status : storage::Migrator(*db).status(app::App::allMigrations())) {
      std::string versions = "version " + std::to_string(status.applied) + " of " + std::to_string(status.known);
      if (status.applied > status.known) {
        report.fail("migrations",
                    status.module + ": " + versions + ": the database is newer than this binary (upgrade ruche)");
      } else if (status.applied < status.known) {
        report.warn("migrations",
                    status.module + ": " + versions + ": pending (applied by `ruche migrate` or at start-up)");
      } else {
        report.ok("migrations", status.module + ": " + versions + ", up to date");
      }
    }
  } catch (const std::exception& e) {
    report.fail("migrations", std::string("cannot read the migration state: ") + e.what());
  }
}

void checkThemes(Report& report, const config::Settings& settings) {
  try {
    themes::Templates templates(settings.themesDir, "default");
    auto missing = templates.catalog().missingKeys("en", "fr");
    if (!missing.empty()) {
      report.warn("themes", settings.themesDir + "/default loads, but " + std::to_string(missing.size()) +
                                " English texts are missing (first: " + missing.front() + ")");
      return;
    }
    report.ok("themes", settings.themesDir + "/default loads");
  } catch (const std::exception& e) {
    report.fail("themes", e.what());
  }
}

void checkMail(Report& report, const config::Settings& settings) {
  mail::Mailer mailer(settings.smtp);
  if (!mailer.enabled()) {
    report.warn("mail", "not configured (smtp.host is empty): mail is written to the log instead");
    return;
  }
  try {
    mailer.check();
    report.ok("mail", settings.smtp.host + ":" + std::to_string(settings.smtp.port) + " answers");
  } catch (const std::exception& e) {
    report.fail("mail", settings.smtp.host + ":" + std::to_string(settings.smtp.port) + ": " + e.what());
  }
}

/// A refused or switched-off plugin does not stop the server: a warning, with why.
void checkPlugins(Report& report, const config::Settings& settings) {
  try {
    auto db = storage::Database::open(settings.databaseUrl, 1);
    plugins::PluginStore store(*db);
    auto entries = plugins::listPlugins(settings.plugins.dirs, store);
    if (entries.empty()) {
      report.ok("plugins", "none installed");
    }
    for (const auto& entry : entries) {
      std::string state = entry.shownState();
      if (!entry.problem.empty()) {
        report.warn("plugins", entry.problem);
      } else if (state == "failing" || state == "crashed") {
        report.warn("plugins", entry.name + ": " + state + " (" + entry.state->reason + ")");
      } else {
        report.ok("plugins", entry.name + " " + (entry.manifest ? entry.manifest->version.toString() : "") + ": " +
                                 state + ", on in " + std::to_string(entry.associations) + " associations");
      }
    }
  } catch (const std::exception& e) {
    report.warn("plugins", std::string("not checked: ") + e.what());
  }
}

}  // namespace

int runDoctor(const CommandLine& line) {
  Report report;
  config::Settings settings;
  try {
    settings = line.settings();
    report.ok("config", line.option("config") ? "loaded from " + *line.option("config")
                                              : "defaults and RUCHE_* variables (no --config)");
  } catch (const config::ConfigError& e) {
    report.fail("config", e.what());
    return 2;
  }
  checkDataDir(report, settings.dataDir);
  checkDatabase(report, settings);
  checkThemes(report, settings);
  checkPlugins(report, settings);
  checkMail(report, settings);
  return report.failed() ? 1 : 0;
}

}  // namespace ruche::cli
