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
  ///
  /// A thread borrows at most one connection per database: a Session made
  /// while the same thread already holds one (a helper called from a handler
  /// that has its own Session, or from inside `transaction()`) shares it. So
  /// nested calls never wait for a second connection — with every connection
  /// of the pool held by threads waiting for another, that would deadlock —
  /// and code called inside a transaction reads and writes in it.
  class Session {
   public:
    explicit Session(Database& db);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    soci::session& operator*() { return *session_; }
    soci::session* operator->() { return session_; }

   private:
    friend class Database;
    Database& db_;
    std::unique_ptr<soci::session> owned_;  ///< null when shared with an outer Session
    soci::session* session_ = nullptr;
  };

  /// Runs `work` in one transaction and commits; rolls back if it throws.
  /// On SQLite the transaction is BEGIN IMMEDIATE, so two writers queue on the
  /// busy timeout instead of failing to upgrade a read lock. Called inside
  /// another transaction of the same thread, `work` joins the outer one.
  void transaction(const std::function<void(soci::session&)>& work);

  /// A transaction begun on first use: the connection is borrowed and BEGIN
  /// sent only when session() is first called, so a call that ends up not
  /// touching the database holds no connection (a plugin request that waits
  /// for a group commit, or answers from caches). commit() may be called
  /// several times: each commits what came before and gives the connection
  /// back to the pool; the next session() borrows one and begins anew. What is left open when it is destroyed is rolled
  /// back. On a thread that already has a transaction open, it joins that one and neither commits nor rolls back.
  class LazyTransaction {
   public:
    explicit LazyTransaction(Database& db) : db_(db) {}
    ~LazyTransaction();
    LazyTransaction(const LazyTransaction&) = delete;
    LazyTransaction& operator=(const LazyTransaction&) = delete;

    soci::session& session();
    void commit();
    Backend backend() const { return db_.backend(); }
    /// Whether this runs inside a transaction the thread had open already
    /// (session() joins it, and commit() commits nothing: the outer one decides).
    bool insideOuter() const;

   private:
    Database& db_;
    std::unique_ptr<Session> session_;
    bool open_ = false;    ///< BEGIN sent by this object, not yet committed
    bool joined_ = false;  ///< inside the thread's outer transaction
  };

  /// Runs `action` once the transaction open on this thread commits (never if
  /// it rolls back), or at once when no transaction is open. For work that
  /// must not see the transaction's changes before they are visible to others,
  /// e.g. waking a dispatcher for the events a transaction published. An
  /// exception from `action` is swallowed: the commit already happened.
  void afterCommit(std::function<void()> action);

 private:
  Database(ConnectionTarget target, std::size_t size);

  ConnectionTarget target_;
  std::unique_ptr<soci::connection_pool> pool_;
};

/// Seconds since the epoch: every timestamp in the schema is stored this way.
long long nowSeconds();

}  // namespace ruche::storage
