#include "kernel/storage/Migrator.h"

#include <soci/soci.h>

namespace ruche::storage {
namespace {

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

}  // namespace

std::vector<std::string> Migrator::statementsFor(const std::string& sql, Backend backend) {
  std::string text = sql;
  replaceAll(text, "{{id}}",
             backend == Backend::Sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY");
  replaceAll(text, "{{blob}}", backend == Backend::Sqlite ? "BLOB" : "BYTEA");
  std::vector<std::string> statements;
  std::string current;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line.compare(first, 2, "--") == 0) {
      continue;
    }
    auto last = line.find_last_not_of(" \t\r");
    current += line.substr(0, last + 1) + "\n";
    if (line[last] == ';') {
      statements.push_back(current.substr(0, current.size() - 2));
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) {
    statements.push_back(current);
  }
  // A statement that starts with {{postgresql}} runs on PostgreSQL only
  // (written on one line, or with no inner line ending in ';').
  const std::string kPostgresOnly = "{{postgresql}}";
  std::vector<std::string> chosen;
  for (auto& statement : statements) {
    auto first = statement.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
      continue;  // a stray ';' line: nothing to run
    }
    if (statement.compare(first, kPostgresOnly.size(), kPostgresOnly) != 0) {
      chosen.push_back(std::move(statement));
    } else if (backend == Backend::Postgres) {
      chosen.push_back(statement.substr(first + kPostgresOnly.size()));
    }
  }
  return chosen;
}

void Migrator::ensureTable() {
  Database::Session session(db_);
  *session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
              " module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
              " applied_at BIGINT NOT NULL, PRIMARY KEY (module, version))";
}

int Migrator::appliedVersion(const std::string& module) {
  Database::Session session(db_);
  int version = 0;
  soci::indicator ind = soci::i_null;
  *session << "SELECT MAX(version) FROM schema_migrations WHERE module = :m", soci::use(module),
      soci::into(version, ind);
  return ind == soci::i_ok ? version : 0;
}

int Migrator::migrate(const std::vector<ModuleMigrations>& modules) {
  ensureTable();
  int ran = 0;
  for (const auto& module : modules) {
    int applied = appliedVersion(module.module);
    int known = module.migrations.empty() ? 0 : module.migrations.back().version;
    if (applied > known) {
      throw SchemaTooNew("the database has " + module.module + " schema version " + std::to_string(applied) +
                         " but this ruche knows only up to " + std::to_string(known) +
                         ": upgrade ruche, or restore a backup made by this version");
    }
    for (const auto& migration : module.migrations) {
      if (migration.version <= applied) {
        continue;
      }
      db_.transaction([&](soci::session& s) {
        for (const auto& statement : statementsFor(migration.sql, db_.backend())) {
          s << statement;
        }
        long long now = nowSeconds();
        s << "INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (:m, :v, :n, :t)",
            soci::use(module.module), soci::use(migration.version), soci::use(migration.name), soci::use(now);
      });
      ++ran;
    }
  }
  return ran;
}

std::vector<MigrationStatus> Migrator::status(const std::vector<ModuleMigrations>& modules) {
  ensureTable();
  std::vector<MigrationStatus> result;
  for (const auto& module : modules) {
    MigrationStatus s;
    s.module = module.module;
    s.applied = appliedVersion(module.module);
    s.known = module.migrations.empty() ? 0 : module.migrations.back().version;
    result.push_back(s);
  }
  return result;
}

}  // namespace ruche::storage
