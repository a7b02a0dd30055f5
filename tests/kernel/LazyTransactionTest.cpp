// Database::LazyTransaction: the plugin calls' transaction, begun at the
// first statement, committed any number of times, rolled back at the end.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/plugins/KernelDatabase.h"
#include "kernel/storage/Database.h"
#include "tests/kernel/TestServer.h"

using namespace ruche;
using namespace ruche::testing;

namespace {

/// A database of one connection, with a table `t`: a test can tell whether
/// that connection is held by asking for it from another thread.
struct OneConnection {
  explicit OneConnection(Backend backend) : db(storage::Database::open(freshDatabaseUrl(backend, dir.path()), 1)) {
    storage::Database::Session session(*db);
    *session << "CREATE TABLE t (n BIGINT NOT NULL)";
  }

  /// Whether another thread gets the connection within `wait`. One that
  /// does not is kept waiting (its future joins once the connection is
  /// given back), so `wait` is short when the answer should be no.
  bool connectionFree(std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    auto other = std::async(std::launch::async, [this] {
      storage::Database::Session session(*db);
      long long n = 0;
      *session << "SELECT COUNT(*) FROM t", soci::into(n);
    });
    bool ready = other.wait_for(wait) == std::future_status::ready;
    if (!ready) {
      waiting.push_back(std::move(other));
    }
    return ready;
  }

  long long rows() {
    auto counted = std::async(std::launch::async, [this] {
      storage::Database::Session session(*db);
      long long n = 0;
      *session << "SELECT COUNT(*) FROM t", soci::into(n);
      return n;
    });
    return counted.get();
  }

  TempDir dir;
  std::unique_ptr<storage::Database> db;
  std::vector<std::future<void>> waiting;  ///< last: joined first, before the database goes
};

}  // namespace

TEST_CASE("a lazy transaction holds no connection until used, and gives it back at each commit") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      OneConnection one(backend);
      storage::Database::LazyTransaction transaction(*one.db);
      CHECK(one.connectionFree());
      transaction.session() << "INSERT INTO t (n) VALUES (1)";
      CHECK_FALSE(one.connectionFree(std::chrono::milliseconds(300)));
      bool ran = false;
      one.db->afterCommit([&] { ran = true; });
      CHECK_FALSE(ran);
      transaction.commit();
      CHECK(ran);  // after-commit actions run at each commit
      CHECK(one.connectionFree());
      CHECK(one.rows() == 1);
      transaction.commit();  // nothing begun: nothing to do
      transaction.session() << "INSERT INTO t (n) VALUES (2)";
    }
    // Left open at the end: rolled back, the committed part stays.
  }
}

TEST_CASE("what a lazy transaction committed stays when the rest is rolled back") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      OneConnection one(backend);
      {
        storage::Database::LazyTransaction transaction(*one.db);
        transaction.session() << "INSERT INTO t (n) VALUES (1)";
        transaction.commit();
        transaction.session() << "INSERT INTO t (n) VALUES (2)";
      }
      CHECK(one.rows() == 1);
    }
  }
}

TEST_CASE("inside a kernel transaction a lazy transaction joins it, and the SDK's commit is refused") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      OneConnection one(backend);
      CHECK_THROWS_AS(one.db->transaction([&](soci::session&) {
        storage::Database::LazyTransaction inner(*one.db);
        CHECK(inner.insideOuter());
        inner.session() << "INSERT INTO t (n) VALUES (1)";
        inner.commit();  // the outer transaction decides
        plugins::KernelDatabase sdk(inner);
        CHECK_THROWS_AS(sdk.commit(), std::logic_error);
        throw std::runtime_error("the outer work fails");
      }),
                      std::runtime_error);
      CHECK(one.rows() == 0);

      storage::Database::LazyTransaction alone(*one.db);
      CHECK_FALSE(alone.insideOuter());
      plugins::KernelDatabase sdk(alone);
      sdk.execute("INSERT INTO t (n) VALUES (?)", {3});
      CHECK_THROWS_AS(sdk.savepoint([&] { sdk.commit(); }), std::logic_error);
      sdk.commit();
      CHECK(one.rows() == 1);
    }
  }
}
