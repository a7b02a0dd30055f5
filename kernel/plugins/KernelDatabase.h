#pragma once

#include <soci/soci.h>

#include "kernel/storage/Database.h"
#include "kernel/storage/DatabaseUrl.h"
#include "ruche/sdk/Database.h"

namespace ruche::plugins {

/// The SDK's Database over the SOCI session of the call being handled: a
/// plugin's statements run on the request's (or event's, or job's)
/// connection, in its transaction.
class KernelDatabase : public sdk::Database {
 public:
  /// Over a session whose transaction the caller opened and will end.
  KernelDatabase(soci::session& sql, storage::Backend backend) : sql_(&sql), backend_(backend) {}
  /// Over a transaction begun at the first statement (a plugin call's).
  explicit KernelDatabase(storage::Database::LazyTransaction& transaction)
      : transaction_(&transaction), backend_(transaction.backend()) {}
  std::string backend() const override;
  sdk::Rows query(const std::string& sql, const std::vector<sdk::Value>& params) override;
  long long execute(const std::string& sql, const std::vector<sdk::Value>& params) override;
  long long insert(const std::string& sql, const std::vector<sdk::Value>& params) override;
  void savepoint(const std::function<void()>& work) override;
  void commit() override;

  /// Rewrites `?` placeholders as SOCI's `:p1`, `:p2`…, leaving quoted
  /// strings, quoted identifiers and comments alone. Throws
  /// std::invalid_argument when the count differs from `params`.
  static std::string namedPlaceholders(const std::string& sql, std::size_t params);

 private:
  soci::session& session();

  soci::session* sql_ = nullptr;
  storage::Database::LazyTransaction* transaction_ = nullptr;
  storage::Backend backend_;
  int savepoints_ = 0;      ///< ever opened: names them
  int openSavepoints_ = 0;  ///< open now: commit() is refused inside one
};

}  // namespace ruche::plugins
