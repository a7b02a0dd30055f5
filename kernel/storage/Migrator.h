#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/storage/Database.h"
#include "kernel/storage/Migration.h"

namespace ruche::storage {

/// The database holds a migration this binary does not know: it was written
/// by a newer Ruche. Starting would risk corrupting it.
class SchemaTooNew : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What `ruche doctor` and `ruche migrate --status` report for one module.
struct MigrationStatus {
  std::string module;
  int applied = 0;  ///< highest version recorded in the database
  int known = 0;    ///< highest version this binary ships
};

/// Applies numbered migrations, each in its own transaction, and records
/// them in `schema_migrations`.
class Migrator {
 public:
  explicit Migrator(Database& db) : db_(db) {}

  /// Applies what is missing; returns how many migrations ran.
  /// Throws SchemaTooNew if the database is ahead of `modules`.
  int migrate(const std::vector<ModuleMigrations>& modules);

  std::vector<MigrationStatus> status(const std::vector<ModuleMigrations>& modules);

  /// Rewrites the backend placeholders of a migration text and splits it into
  /// single statements (SQLite executes one statement per call).
  static std::vector<std::string> statementsFor(const std::string& sql, Backend backend);

 private:
  void ensureTable();
  int appliedVersion(const std::string& module);

  Database& db_;
};

}  // namespace ruche::storage
