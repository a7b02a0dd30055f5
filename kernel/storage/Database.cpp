#include "kernel/storage/Database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <stdexcept>

namespace ruche::storage {

Database::Database(ConnectionTarget target, std::size_t size)
    : target_(std::move(target)), pool_(std::make_unique<soci::connection_pool>(size)) {}

Database::~Database() = default;

std::unique_ptr<Database> Database::open(const std::string& url, std::size_t size) {
  ConnectionTarget target = parseDatabaseUrl(url);
  std::unique_ptr<Database> db(new Database(target, size));
  for (std::size_t i = 0; i != size; ++i) {
    soci::session& s = db->pool_->at(i);
    try {
      if (target.backend == Backend::Sqlite) {
        s.open(*soci::factory_sqlite3(), target.sociConnectString);
        s << "PRAGMA journal_mode=WAL";
        s << "PRAGMA busy_timeout=10000";
        s << "PRAGMA foreign_keys=ON";
        s << "PRAGMA synchronous=NORMAL";
      } else {
        s.open(*soci::factory_postgresql(), target.sociConnectString);
      }
    } catch (const std::exception& e) {
      std::string reason = e.what();
      auto newline = reason.find('\n');
      throw std::runtime_error("cannot open " + target.describe() + ": " + reason.substr(0, newline));
    }
  }
  return db;
}

void Database::transaction(const std::function<void(soci::session&)>& work) {
  Session session(*this);
  soci::session& s = *session;
  s << (backend() == Backend::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  try {
    work(s);
    s << "COMMIT";
  } catch (...) {
    try {
      s << "ROLLBACK";
    } catch (...) {
      // The original error matters more than a failed rollback.
    }
    throw;
  }
}

long long nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace ruche::storage
