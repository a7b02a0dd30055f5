// `ruche plugin list|install|remove|enable|disable`: the federation admin's
// plugin lifecycle from the command line. The admin panel does the same
// through the same functions (kernel/plugins/PluginCatalog.h, PluginInstaller.h).
#include <iomanip>
#include <iostream>

#include "kernel/cli/CommandSupport.h"
#include "kernel/cli/Commands.h"
#include "kernel/cli/Reload.h"
#include "kernel/domain/Associations.h"
#include "kernel/plugins/PluginCatalog.h"
#include "kernel/plugins/PluginInstaller.h"

namespace ruche::cli {
namespace {

using plugins::PluginError;

const std::string& pluginName(const CommandLine& line, const std::string& action) {
  if (line.args.size() < 2 || line.args[1].empty()) {
    throw UsageError("say which plugin: ruche plugin " + action + " NAME");
  }
  return line.args[1];
}

std::string stateText(const plugins::PluginEntry& entry) {
  std::string text = entry.shownState();
  if (entry.state && !entry.state->reason.empty() && entry.state->state != "active") {
    text += " (" + entry.state->reason + ")";
  } else if (entry.folder.empty() && entry.state && entry.state->state != "removed") {
    text += " (folder gone; data kept)";
  }
  return text;
}

int list(const config::Settings& settings, storage::Database& db) {
  plugins::PluginStore store(db);
  auto entries = plugins::listPlugins(settings.plugins.dirs, store);
  std::cout << std::left << std::setw(24) << "NAME" << std::setw(10) << "VERSION" << std::setw(8) << "ASSOC"
            << "STATE — CHECK\n";
  for (const auto& entry : entries) {
    std::string version = entry.manifest ? entry.manifest->version.toString()
                                         : (entry.state && !entry.state->version.empty() ? entry.state->version : "?");
    std::string check = entry.folder.empty() ? "-" : (entry.problem.empty() ? "ok" : entry.problem);
    std::cout << std::left << std::setw(24) << entry.name << std::setw(10) << version << std::setw(8)
              << entry.associations << stateText(entry) << " — " << check << "\n";
  }
  std::cout << entries.size() << " plugin" << (entries.size() == 1 ? "" : "s") << " (plugins.dirs:";
  for (const auto& dir : settings.plugins.dirs) {
    std::cout << " " << dir;
  }
  std::cout << ")" << std::endl;
  return 0;
}

/// A server running on this data folder loads the change now (it reloads
/// itself, requests in flight finish first); otherwise, say what to do.
void tellServerToReload(const config::Settings& settings) {
  if (auto pid = askServerToReload(settings.dataDir)) {
    std::cout << "the running server (pid " << *pid << ") is reloading to load it; requests in flight finish first"
              << std::endl;
  } else {
    std::cout << plugins::restartAdvice() << std::endl;
  }
}

int install(const CommandLine& line, const config::Settings& settings, storage::Database& db) {
  if (line.args.size() < 2 || line.args[1].empty()) {
    throw UsageError("say which folder: ruche plugin install PATH");
  }
  auto result = plugins::installPlugin(settings, db, line.args[1], line.flag("upgrade"));
  const auto& manifest = result.manifest;
  if (result.replaced) {
    std::cout << "upgraded " << manifest.name << " from " << result.replaced->toString() << " to "
              << manifest.version.toString();
  } else {
    std::cout << "installed " << manifest.name << " " << manifest.version.toString();
  }
  std::cout << " in " << result.folder << "\n"
            << "applied " << result.migrationsApplied << " migration" << (result.migrationsApplied == 1 ? "" : "s")
            << " of plugin:" << manifest.name << std::endl;
  tellServerToReload(settings);
  return 0;
}

int remove(const CommandLine& line, const config::Settings& settings, storage::Database& db) {
  const std::string& name = pluginName(line, "remove");
  auto result = plugins::removePlugin(settings, db, name, line.flag("purge"));
  if (!result.folder.empty()) {
    std::cout << "removed the folder " << result.folder << "\n";
  }
  if (result.purged) {
    std::cout << "purged " << name << ": its settings, enablement, failures and profile values are deleted\n";
    std::cout << "tables dropped:";
    if (result.droppedTables.empty()) {
      std::cout << " none";
    }
    for (const auto& table : result.droppedTables) {
      std::cout << " " << table;
    }
    std::cout << "\n";
  } else {
    std::cout << name << " is removed; its data is kept (ruche plugin remove " << name << " --purge deletes it)\n";
  }
  tellServerToReload(settings);
  return 0;
}

int enable(const CommandLine& line, const config::Settings& settings, storage::Database& db, bool on) {
  const std::string& name = pluginName(line, on ? "enable" : "disable");
  plugins::PluginStore store(db);
  auto org = line.option("org");
  if (!org) {
    plugins::setFederationEnabled(settings.plugins.dirs, store, name, on);
    std::cout << name << " is " << (on ? "active" : "disabled") << " for the whole federation" << std::endl;
    return 0;
  }
  auto association = domain::Associations(db).bySlug(*org);
  if (!association) {
    throw http::unprocessable({{"org", "no association named " + *org, "unknown_association"}});
  }
  if (plugins::installedFolder(settings.plugins.dirs, name).empty()) {
    throw PluginError(name, "not installed (no such folder in plugins.dirs)");
  }
  store.setEnabled(name, association->id, on);
  std::cout << name << " is " << (on ? "enabled" : "disabled") << " for " << association->slug;
  if (on && !store.isActive(name)) {
    std::cout << " (but it is not active federation-wide: ruche plugin enable " << name << ")";
  }
  std::cout << std::endl;
  return 0;
}

}  // namespace

int runPlugin(const CommandLine& line) {
  if (line.args.empty()) {
    throw UsageError("say what to do: new, list, install, remove, enable or disable");
  }
  const std::string& action = line.args[0];
  if (action == "new") {
    return runPluginNew(line);  // needs no configuration nor database
  }
  if (action != "list" && action != "install" && action != "remove" && action != "enable" && action != "disable") {
    throw UsageError("unknown action \"" + action + "\"");
  }
  config::Settings settings = line.settings();
  auto db = openMigratedDatabase(settings);
  try {
    if (action == "list") {
      return list(settings, *db);
    }
    if (action == "install") {
      return install(line, settings, *db);
    }
    if (action == "remove") {
      return remove(line, settings, *db);
    }
    return enable(line, settings, *db, action == "enable");
  } catch (const PluginError& error) {
    std::cerr << "ruche plugin " << action << ": " << error.what() << std::endl;
    return 1;
  } catch (const http::HttpError& error) {
    std::cerr << "ruche plugin " << action << ": " << describe(error) << std::endl;
    return 1;
  }
}

}  // namespace ruche::cli
