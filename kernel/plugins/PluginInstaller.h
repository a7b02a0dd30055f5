#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/config/Settings.h"
#include "kernel/plugins/Manifest.h"
#include "kernel/storage/Database.h"

namespace ruche::plugins {

/// What a running server needs after a library is installed, upgraded or
/// removed: said by `ruche plugin` and the admin panel, in one place.
const std::string& restartAdvice();
/// The command that restarts the server ("systemctl restart ruche"), for the admin panel's sentence.
const std::string& restartCommand();

/// Checks a plugin folder as an install would, changing nothing: its
/// plugin.json (the folder may have another name, e.g. "hello-1.2.0"), its
/// library (SDK range, ABI tag, factory symbol, read as a file) and its
/// migrations for both backends. Throws PluginError naming the file and why.
Manifest checkPluginFolder(const std::string& folder);

/// What installPlugin did.
struct InstallResult {
  Manifest manifest;               ///< as read from the installed folder
  std::string folder;              ///< where the plugin now lives
  std::optional<SemVer> replaced;  ///< the version an upgrade replaced
  int migrationsApplied = 0;
};

/// Installs the plugin folder `source`: checks it (checkPluginFolder), refuses
/// a plugin already installed unless `upgrade` and its version is not lower,
/// copies it as `<first plugins dir>/<name>` (or over the installed folder
/// on an upgrade) through a hidden temporary sibling renamed at the end, so
/// a half-copied plugin never appears; applies its migrations (from the
/// copy, before anything is replaced: a failed one leaves all as it was) and records it
/// (a removed plugin becomes active again). Throws PluginError.
InstallResult installPlugin(const config::Settings& settings, storage::Database& db, const std::string& source,
                            bool upgrade);

/// What removePlugin did.
struct RemoveResult {
  std::string folder;  ///< the folder deleted; "" if it was already gone
  bool purged = false;
  std::vector<std::string> droppedTables;  ///< with `purge`
};

/// Deletes the plugin's folder. Without `purge` its state becomes "removed"
/// and its data stays (tables, settings, enablement); with `purge` all of it
/// is deleted (PluginStore::purge). Throws PluginError for an unknown plugin.
RemoveResult removePlugin(const config::Settings& settings, storage::Database& db, const std::string& name, bool purge);

}  // namespace ruche::plugins
