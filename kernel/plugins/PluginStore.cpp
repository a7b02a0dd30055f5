#include "kernel/plugins/PluginStore.h"

#include "kernel/plugins/KernelDatabase.h"
#include "kernel/storage/ReadCache.h"

namespace ruche::plugins {
namespace {

const char* const kPluginTables = R"SQL(
-- One row per plugin ever seen in a plugins folder.
CREATE TABLE plugin_states (
  name TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('active', 'disabled', 'failing', 'crashed', 'removed')),
  reason TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT '',
  installed_at BIGINT NOT NULL,
  changed_at BIGINT NOT NULL
);
-- Which associations switched a plugin on. No row: off.
CREATE TABLE plugin_associations (
  plugin TEXT NOT NULL,
  association_id BIGINT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
  enabled INTEGER NOT NULL,
  changed_at BIGINT NOT NULL,
  PRIMARY KEY (plugin, association_id)
);
-- Settings values, as text, per association (0: federation defaults).
CREATE TABLE plugin_settings (
  plugin TEXT NOT NULL,
  association_id BIGINT NOT NULL,
  setting_key TEXT NOT NULL,
  setting_value TEXT NOT NULL,
  PRIMARY KEY (plugin, association_id, setting_key)
);
CREATE TABLE plugin_failures (
  id {{id}},
  plugin TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX plugin_failures_recent ON plugin_failures (plugin, at);
-- Extra profile fields declared by plugins.
CREATE TABLE plugin_profile_values (
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  plugin TEXT NOT NULL,
  field_key TEXT NOT NULL,
  field_value TEXT NOT NULL,
  PRIMARY KEY (account_id, plugin, field_key)
);
)SQL";

PluginState readState(soci::row& row) {
  return PluginState{row.get<std::string>(0), row.get<std::string>(1), row.get<std::string>(2),
                     row.get<std::string>(3), row.get<long long>(4),   row.get<long long>(5)};
}

}  // namespace

const storage::ModuleMigrations& PluginStore::migrations() {
  static const storage::ModuleMigrations module{"plugins", {{1, "plugin state, enablement, settings", kPluginTables}}};
  return module;
}

PluginState PluginStore::noteSeen(const std::string& name, const std::string& version) {
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    int known = 0;
    sql << "SELECT COUNT(*) FROM plugin_states WHERE name = :n", soci::use(name), soci::into(known);
    if (known == 0) {
      sql << "INSERT INTO plugin_states (name, state, version, installed_at, changed_at) "
             "VALUES (:n, 'active', :v, :t, :t2)",
          soci::use(name), soci::use(version), soci::use(now), soci::use(now);
    } else {
      sql << "UPDATE plugin_states SET version = :v, state = CASE WHEN state = 'removed' THEN 'active' ELSE state END "
             "WHERE name = :n",
          soci::use(version), soci::use(name);
    }
  });
  storage::invalidateReadCaches();
  return *state(name);
}

std::optional<PluginState> PluginStore::state(const std::string& name) {
  storage::Database::Session sql(db_);
  soci::rowset<soci::row> rows = (sql->prepare << "SELECT name, state, reason, version, installed_at, changed_at "
                                                  "FROM plugin_states WHERE name = :n",
                                  soci::use(name));
  for (auto& row : rows) {
    return readState(row);
  }
  return std::nullopt;
}

std::vector<PluginState> PluginStore::all() {
  storage::Database::Session sql(db_);
  std::vector<PluginState> states;
  soci::rowset<soci::row> rows =
      (sql->prepare
       << "SELECT name, state, reason, version, installed_at, changed_at FROM plugin_states ORDER BY name");
  for (auto& row : rows) {
    states.push_back(readState(row));
  }
  return states;
}

void PluginStore::setState(const std::string& name, const std::string& state, const std::string& reason) {
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    sql << "UPDATE plugin_states SET state = :s, reason = :r, changed_at = :t WHERE name = :n", soci::use(state),
        soci::use(reason), soci::use(now), soci::use(name);
  });
  storage::invalidateReadCaches();
}

bool PluginStore::answersIn(const std::string& plugin, long long associationId) {
  static storage::ReadCache<std::pair<std::string, long long>, bool> cache;
  if (auto known = cache.find({plugin, associationId})) {
    return *known;
  }
  long long generation = storage::readCacheGeneration().load();
  storage::Database::Session sql(db_);
  int answers = 0;
  *sql << "SELECT COUNT(*) FROM plugin_states s JOIN plugin_associations a ON a.plugin = s.name "
          "WHERE s.name = :p AND s.state = 'active' AND a.association_id = :a AND a.enabled = 1",
      soci::use(plugin), soci::use(associationId), soci::into(answers);
  if (answers > 0) {
    // Only a yes is kept: switching a plugin on (from the CLI too) shows
    // at once; switching it off from another process, within the cache's time.
    cache.put({plugin, associationId}, true, generation);
  }
  return answers > 0;
}

bool PluginStore::isActive(const std::string& plugin) {
  auto current = state(plugin);
  return current && current->state == "active";
}

void PluginStore::setEnabled(const std::string& plugin, long long associationId, bool enabled) {
  long long now = storage::nowSeconds();
  int flag = enabled ? 1 : 0;
  db_.transaction([&](soci::session& sql) {
    sql << "DELETE FROM plugin_associations WHERE plugin = :p AND association_id = :a", soci::use(plugin),
        soci::use(associationId);
    sql << "INSERT INTO plugin_associations (plugin, association_id, enabled, changed_at) VALUES (:p, :a, :e, :t)",
        soci::use(plugin), soci::use(associationId), soci::use(flag), soci::use(now);
  });
  storage::invalidateReadCaches();
}

bool PluginStore::enabledIn(const std::string& plugin, long long associationId) {
  storage::Database::Session sql(db_);
  int enabled = 0;
  *sql << "SELECT COUNT(*) FROM plugin_associations WHERE plugin = :p AND association_id = :a AND enabled = 1",
      soci::use(plugin), soci::use(associationId), soci::into(enabled);
  return enabled > 0;
}

std::vector<long long> PluginStore::enabledAssociations(const std::string& plugin) {
  storage::Database::Session sql(db_);
  std::vector<long long> ids;
  soci::rowset<long long> rows =
      (sql->prepare << "SELECT association_id FROM plugin_associations WHERE plugin = :p AND enabled = 1 "
                       "ORDER BY association_id",
       soci::use(plugin));
  for (long long id : rows) {
    ids.push_back(id);
  }
  return ids;
}

std::map<std::string, std::string> PluginStore::settings(const std::string& plugin, long long associationId) {
  static storage::ReadCache<std::pair<std::string, long long>, std::map<std::string, std::string>> cache;
  if (auto known = cache.find({plugin, associationId})) {
    return *known;
  }
  long long generation = storage::readCacheGeneration().load();
  storage::Database::Session sql(db_);
  std::map<std::string, std::string> values;
  // Read on every plugin request that looks at its settings: a one-time
  // statement, one round trip instead of PREPARE, EXECUTE and DEALLOCATE.
  KernelDatabase one(*sql, db_.backend());
  for (const auto& row : one.query("SELECT setting_key, setting_value FROM plugin_settings "
                                   "WHERE plugin = ? AND association_id = ?",
                                   {plugin, associationId})) {
    values[row.at(0).asString()] = row.at(1).asString();
  }
  cache.put({plugin, associationId}, values, generation);
  return values;
}

void PluginStore::saveSettings(const std::string& plugin, long long associationId,
                               const std::map<std::string, std::string>& values) {
  db_.transaction([&](soci::session& sql) {
    sql << "DELETE FROM plugin_settings WHERE plugin = :p AND association_id = :a", soci::use(plugin),
        soci::use(associationId);
    for (const auto& [key, value] : values) {
      sql << "INSERT INTO plugin_settings (plugin, association_id, setting_key, setting_value) "
             "VALUES (:p, :a, :k, :v)",
          soci::use(plugin), soci::use(associationId), soci::use(key), soci::use(value);
    }
  });
  storage::invalidateReadCaches();
}

int PluginStore::recordFailure(const std::string& plugin, const std::string& kind, const std::string& message,
                               long long windowSeconds) {
  long long now = storage::nowSeconds();
  long long since = now - windowSeconds;
  std::string text = message.substr(0, 2000);
  int recent = 0;
  db_.transaction([&](soci::session& sql) {
    sql << "INSERT INTO plugin_failures (plugin, kind, message, at) VALUES (:p, :k, :m, :t)", soci::use(plugin),
        soci::use(kind), soci::use(text), soci::use(now);
    sql << "SELECT COUNT(*) FROM plugin_failures WHERE plugin = :p AND at > :s", soci::use(plugin), soci::use(since),
        soci::into(recent);
  });
  return recent;
}

std::vector<PluginFailure> PluginStore::lastFailures(const std::string& plugin, int limit) {
  storage::Database::Session sql(db_);
  std::vector<PluginFailure> failures;
  soci::rowset<soci::row> rows = (sql->prepare << "SELECT plugin, kind, message, at FROM plugin_failures "
                                                  "WHERE plugin = :p ORDER BY id DESC LIMIT :l",
                                  soci::use(plugin), soci::use(limit));
  for (auto& row : rows) {
    failures.push_back(PluginFailure{row.get<std::string>(0), row.get<std::string>(1), row.get<std::string>(2),
                                     row.get<long long>(3)});
  }
  return failures;
}

std::string PluginStore::profileValue(long long accountId, const std::string& plugin, const std::string& key) {
  storage::Database::Session sql(db_);
  std::string value;
  *sql << "SELECT field_value FROM plugin_profile_values WHERE account_id = :a AND plugin = :p AND field_key = :k",
      soci::use(accountId), soci::use(plugin), soci::use(key), soci::into(value);
  return sql->got_data() ? value : "";
}

std::map<std::string, std::string> PluginStore::profileValues(long long accountId, const std::string& plugin) {
  storage::Database::Session sql(db_);
  std::map<std::string, std::string> values;
  soci::rowset<soci::row> rows = (sql->prepare << "SELECT field_key, field_value FROM plugin_profile_values "
                                                  "WHERE account_id = :a AND plugin = :p",
                                  soci::use(accountId), soci::use(plugin));
  for (auto& row : rows) {
    values[row.get<std::string>(0)] = row.get<std::string>(1);
  }
  return values;
}

void PluginStore::setProfileValue(long long accountId, const std::string& plugin, const std::string& key,
                                  const std::string& value) {
  db_.transaction([&](soci::session& sql) {
    sql << "DELETE FROM plugin_profile_values WHERE account_id = :a AND plugin = :p AND field_key = :k",
        soci::use(accountId), soci::use(plugin), soci::use(key);
    if (!value.empty()) {
      sql << "INSERT INTO plugin_profile_values (account_id, plugin, field_key, field_value) VALUES (:a, :p, :k, :v)",
          soci::use(accountId), soci::use(plugin), soci::use(key), soci::use(value);
    }
  });
}

void PluginStore::clearProfileValues(long long accountId) {
  db_.transaction([&](soci::session& sql) {
    sql << "DELETE FROM plugin_profile_values WHERE account_id = :a", soci::use(accountId);
  });
}

std::vector<std::string> PluginStore::purge(const std::string& plugin) {
  std::vector<std::string> dropped;
  db_.transaction([&](soci::session& sql) {
    // The plugin's tables are those named "<plugin>_…"; compared by prefix in
    // C++ rather than with LIKE, where "_" would be a wildcard.
    std::string listing =
        db_.backend() == storage::Backend::Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
    std::vector<std::string> tables;
    soci::rowset<std::string> rows = sql.prepare << listing;
    for (const auto& table : rows) {
      if (table.rfind(plugin + "_", 0) == 0) {
        tables.push_back(table);
      }
    }
    for (const auto& table : tables) {
      // The name comes from the catalogue and matches the plugin's prefix; quoted as an identifier.
      sql << "DROP TABLE IF EXISTS \"" + table + "\"" + (db_.backend() == storage::Backend::Sqlite ? "" : " CASCADE");
      dropped.push_back(table);
    }
    for (const char* table : {"plugin_settings", "plugin_associations", "plugin_failures", "plugin_profile_values"}) {
      sql << std::string("DELETE FROM ") + table + " WHERE plugin = :p", soci::use(plugin);
    }
    // A named string: SOCI runs the statement when the full expression ends,
    // after a temporary bound here would already be destroyed.
    const std::string module = "plugin:" + plugin;
    sql << "DELETE FROM schema_migrations WHERE module = :m", soci::use(module);
    sql << "DELETE FROM plugin_states WHERE name = :p", soci::use(plugin);
  });
  storage::invalidateReadCaches();
  return dropped;
}

}  // namespace ruche::plugins
