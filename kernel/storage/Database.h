#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "kernel/storage/DatabaseUrl.h"

namespace ruche::storage {

/// The one database of an instance: a pool of SOCI sessions to SQLite or
/// PostgreSQL. Code borrows a session for one unit of work, with
/// `Database::Session`, and writes inside `transaction()`.
class Database {
 public:
  /// Opens `size` connections. SQLite gets WAL, a busy timeout and foreign
  /// keys on every connection. Throws std::runtime_error with a one-line reason.
  static std::unique_ptr<Database> open(const std::string& url, std::size_t size);
  ~Database();

  Backend backend() const { return target_.backend; }
  const ConnectionTarget& target() const { return target_; }

  /// A session borrowed from the pool for the lifetime of this object.
  class Session {
   public:
    explicit Session(Database& db) : session_(*db.pool_) {}
    soci::session& operator*() { return session_; }
    soci::session* operator->() { return &session_; }

   private:
    soci::session session_;
  };

  /// Runs `work` in one transaction and commits; rolls back if it throws.
  /// On SQLite the transaction is BEGIN IMMEDIATE, so two writers queue on the
  /// busy timeout instead of failing to upgrade a read lock.
  void transaction(const std::function<void(soci::session&)>& work);

 private:
  Database(ConnectionTarget target, std::size_t size);

  ConnectionTarget target_;
  std::unique_ptr<soci::connection_pool> pool_;
};

/// Seconds since the epoch: every timestamp in the schema is stored this way.
long long nowSeconds();

}  // namespace ruche::storage
