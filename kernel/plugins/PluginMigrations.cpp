#include "kernel/plugins/PluginMigrations.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace ruche::plugins {
namespace {

const std::regex kFileName(R"(^([0-9]{3})_([a-z0-9_]+)(\.(sqlite|postgresql))?\.sql$)");
// CREATE [OR REPLACE] [UNIQUE | UNLOGGED | TEMPORARY | MATERIALIZED …]
// TABLE | INDEX [CONCURRENTLY] | VIEW | SEQUENCE [IF NOT EXISTS] name.
const std::regex kCreates(
    R"(\bcreate\s+(?:or\s+replace\s+)?(?:(?:unique|unlogged|temp|temporary|global|local|materialized|recursive)\s+)*)"
    R"((?:table|index|view|sequence)\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?"?([A-Za-z0-9_]+))",
    std::regex::icase);

std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Refuses a migration that creates a table, index, view or sequence not
/// named "<plugin>_…".
void checkCreatedNames(const std::string& plugin, const std::filesystem::path& file, const std::string& sql) {
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), kCreates); it != std::sregex_iterator(); ++it) {
    std::string created = (*it)[1].str();
    if (created.rfind(plugin + "_", 0) != 0) {
      throw PluginError(plugin, file.string() + ": creates \"" + created +
                                    "\"; a plugin's tables and indexes are named \"" + plugin + "_…\"");
    }
  }
}

struct MigrationFiles {
  std::string name;
  std::filesystem::path common;
  std::filesystem::path sqlite;
  std::filesystem::path postgresql;
};

}  // namespace

storage::ModuleMigrations pluginMigrations(const Manifest& manifest, storage::Backend backend) {
  storage::ModuleMigrations module{"plugin:" + manifest.name, {}};
  std::filesystem::path folder = std::filesystem::path(manifest.folder) / "migrations";
  if (!std::filesystem::is_directory(folder)) {
    return module;
  }
  std::map<int, MigrationFiles> byVersion;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::string file = entry.path().filename().string();
    std::smatch match;
    if (!std::regex_match(file, match, kFileName)) {
      throw PluginError(manifest.name, entry.path().string() +
                                           ": a migration is named NNN_what.sql, NNN_what.sqlite.sql or "
                                           "NNN_what.postgresql.sql");
    }
    int version = std::stoi(match[1].str());
    auto& files = byVersion[version];
    if (!files.name.empty() && files.name != match[2].str()) {
      throw PluginError(manifest.name, entry.path().string() + ": two migrations have the number " + match[1].str());
    }
    files.name = match[2].str();
    std::string flavour = match[4].str();
    (flavour.empty() ? files.common : flavour == "sqlite" ? files.sqlite : files.postgresql) = entry.path();
  }
  int expected = 1;
  for (const auto& [version, files] : byVersion) {
    if (version != expected) {
      throw PluginError(manifest.name, folder.string() + ": migration " + std::to_string(expected) +
                                           " is missing (numbers start at 001 and have no gaps)");
    }
    ++expected;
    bool split = !files.sqlite.empty() || !files.postgresql.empty();
    if (split && (!files.common.empty() || files.sqlite.empty() || files.postgresql.empty())) {
      throw PluginError(manifest.name, folder.string() + ": migration " + std::to_string(version) +
                                           " needs either one .sql file or both .sqlite.sql and .postgresql.sql");
    }
    // Both files of a split migration are checked, whichever runs here: a
    // plugin refused on one database is refused on the other too.
    std::filesystem::path chosen =
        !split ? files.common : (backend == storage::Backend::Sqlite ? files.sqlite : files.postgresql);
    std::string sql = readText(chosen);
    checkCreatedNames(manifest.name, chosen, sql);
    if (split) {
      const std::filesystem::path& other = chosen == files.sqlite ? files.postgresql : files.sqlite;
      checkCreatedNames(manifest.name, other, readText(other));
    }
    module.migrations.push_back(storage::Migration{version, files.name, sql});
  }
  return module;
}

}  // namespace ruche::plugins
