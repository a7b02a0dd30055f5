#include "kernel/plugins/PluginInstaller.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "kernel/plugins/LibraryCheck.h"
#include "kernel/plugins/PluginApiDocument.h"
#include "kernel/plugins/PluginCatalog.h"
#include "kernel/plugins/PluginMigrations.h"
#include "kernel/plugins/PluginStore.h"
#include "kernel/storage/Migrator.h"

namespace ruche::plugins {
namespace fs = std::filesystem;
namespace {

/// A name for a hidden sibling of `target` that nothing else uses.
fs::path hiddenSibling(const fs::path& target, const std::string& what) {
  char suffix[9];
  std::random_device random;
  std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
  return target.parent_path() / ("." + target.filename().string() + "." + what + "-" + suffix);
}

void removeQuietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

}  // namespace

const std::string& restartCommand() {
  static const std::string command = "systemctl reload ruche";
  return command;
}

const std::string& restartAdvice() {
  static const std::string advice =
      "A running server loads a new or upgraded library when it reloads (SIGHUP: requests in flight finish, then "
      "it starts again): `ruche plugin install` asks the server of its data folder to do so; other servers: " +
      restartCommand() +
      ".\n"
      "Enabling or disabling a plugin needs no restart.";
  return advice;
}

Manifest checkPluginFolder(const std::string& folder) {
  fs::path dir = fs::absolute(folder).lexically_normal();
  if (dir.filename().empty()) {
    dir = dir.parent_path();
  }
  fs::path file = dir / "plugin.json";
  std::string guess = dir.filename().string();
  if (!fs::is_directory(dir)) {
    throw PluginError(guess, dir.string() + ": not a folder (give the plugin's folder, holding plugin.json)");
  }
  std::ifstream in(file);
  if (!in) {
    throw PluginError(guess, file.string() + ": missing (every plugin folder needs a plugin.json)");
  }
  std::stringstream text;
  text << in.rdbuf();
  Manifest manifest = parseManifest(text.str(), file.string());
  checkLibrary(manifest);
  readPluginApiDocument(manifest);
  pluginMigrations(manifest, storage::Backend::Sqlite);
  pluginMigrations(manifest, storage::Backend::Postgres);
  return manifest;
}

InstallResult installPlugin(const config::Settings& settings, storage::Database& db, const std::string& source,
                            bool upgrade) {
  Manifest incoming = checkPluginFolder(source);
  const auto& dirs = settings.plugins.dirs;
  if (dirs.empty()) {
    throw PluginError(incoming.name, "plugins.dirs names no folder to install into");
  }
  InstallResult result;
  std::string installed = installedFolder(dirs, incoming.name);
  fs::path target = fs::path(dirs.front()) / incoming.name;
  if (!installed.empty()) {
    if (fs::equivalent(installed, fs::absolute(source))) {
      throw PluginError(incoming.name, "already installed from this very folder (" + installed + ")");
    }
    std::optional<SemVer> current;
    try {
      current = readManifest(installed).version;
    } catch (const PluginError&) {
      current.reset();  // a broken installed copy may be replaced by any version
    }
    if (!upgrade) {
      throw PluginError(incoming.name, "already installed in " + installed +
                                           (current ? " (version " + current->toString() + ")" : "") +
                                           "; use --upgrade to replace it");
    }
    if (current && incoming.version < *current) {
      throw PluginError(incoming.name, "version " + incoming.version.toString() + " is older than the installed " +
                                           current->toString() + "; refusing to downgrade");
    }
    result.replaced = current;
    target = installed;  // an upgrade replaces the copy in place
  }

  fs::create_directories(target.parent_path());
  fs::path staging = hiddenSibling(target, "installing");
  try {
    fs::copy(fs::absolute(source), staging, fs::copy_options::recursive);
  } catch (const fs::filesystem_error& e) {
    removeQuietly(staging);
    throw PluginError(incoming.name, "copying to " + staging.string() + " failed: " + e.what());
  }
  // Migrations first, from the staged copy: if one fails, nothing was replaced.
  Manifest staged = incoming;
  staged.folder = staging.string();
  try {
    result.migrationsApplied = storage::Migrator(db).migrate({pluginMigrations(staged, db.backend())});
  } catch (const std::exception& e) {
    removeQuietly(staging);
    throw PluginError(incoming.name, std::string("a migration failed, nothing was installed: ") + e.what());
  }
  fs::path old;
  if (fs::exists(target)) {
    old = hiddenSibling(target, "replaced");
    fs::rename(target, old);
  }
  fs::rename(staging, target);
  if (!old.empty()) {
    removeQuietly(old);
  }

  result.manifest = readManifest(target.string());
  result.folder = target.string();
  PluginStore(db).noteSeen(result.manifest.name, result.manifest.version.toString());
  return result;
}

RemoveResult removePlugin(const config::Settings& settings, storage::Database& db, const std::string& name,
                          bool purge) {
  PluginStore store(db);
  std::string folder = installedFolder(settings.plugins.dirs, name);
  auto state = store.state(name);
  if (folder.empty() && !state) {
    throw PluginError(name, "not installed (no such folder in plugins.dirs, and nothing recorded)");
  }
  RemoveResult result;
  if (!folder.empty()) {
    // Renamed first, so the plugin disappears at once, then deleted.
    fs::path doomed = hiddenSibling(folder, "removing");
    fs::rename(folder, doomed);
    fs::remove_all(doomed);
    result.folder = folder;
  }
  if (purge) {
    result.droppedTables = store.purge(name);
    result.purged = true;
  } else if (state) {
    store.setState(name, "removed", "folder removed by a federation admin; data kept");
  }
  return result;
}

}  // namespace ruche::plugins
