#include "kernel/storage/Database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <vector>

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

namespace {

// What this thread holds of each database it uses: the connection and how
// many Sessions and transactions are stacked on it.
struct ThreadHold {
  const Database* db;
  soci::session* session;
  int sessions;
  int transactions;
  std::vector<std::function<void()>> afterCommit;  ///< of the open transaction
};

thread_local std::vector<ThreadHold> holds;

ThreadHold* holdOf(const Database* db) {
  for (auto& hold : holds) {
    if (hold.db == db) {
      return &hold;
    }
  }
  return nullptr;
}

}  // namespace

Database::Session::Session(Database& db) : db_(db) {
  if (ThreadHold* hold = holdOf(&db)) {
    ++hold->sessions;
    session_ = hold->session;
    return;
  }
  owned_ = std::make_unique<soci::session>(*db.pool_);
  session_ = owned_.get();
  holds.push_back(ThreadHold{&db, session_, 1, 0, {}});
}

Database::Session::~Session() {
  ThreadHold* hold = holdOf(&db_);
  if (hold != nullptr && --hold->sessions == 0) {
    holds.erase(holds.begin() + (hold - holds.data()));
  }
}

void Database::transaction(const std::function<void(soci::session&)>& work) {
  Session session(*this);
  soci::session& s = *session;
  ThreadHold* hold = holdOf(this);
  if (hold->transactions > 0) {
    work(s);  // joins the transaction already open on this thread
    return;
  }
  s << (backend() == Backend::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  ++hold->transactions;
  std::vector<std::function<void()>> committed;
  try {
    work(s);
    --holdOf(this)->transactions;
    s << "COMMIT";
    committed.swap(holdOf(this)->afterCommit);
  } catch (...) {
    ThreadHold* current = holdOf(this);
    current->afterCommit.clear();
    if (current->transactions > 0) {
      --current->transactions;
    }
    try {
      s << "ROLLBACK";
    } catch (...) {
      // The original error matters more than a failed rollback.
    }
    throw;
  }
  for (auto& action : committed) {
    try {
      action();
    } catch (...) {
      // Committed already: an after-commit action is best effort.
    }
  }
}

soci::session& Database::LazyTransaction::session() {
  if (!session_) {
    session_ = std::make_unique<Session>(db_);
    joined_ = holdOf(&db_)->transactions > 0;
  }
  if (!open_ && !joined_) {
    **session_ << (db_.backend() == Backend::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    ++holdOf(&db_)->transactions;
    open_ = true;
  }
  return **session_;
}

bool Database::LazyTransaction::insideOuter() const {
  if (joined_ || open_) {
    return joined_;
  }
  const ThreadHold* hold = holdOf(&db_);
  return hold != nullptr && hold->transactions > 0;
}

void Database::LazyTransaction::commit() {
  if (!open_) {
    return;  // nothing begun, or the outer transaction's to commit
  }
  ThreadHold* hold = holdOf(&db_);
  open_ = false;
  --hold->transactions;
  std::vector<std::function<void()>> committed;
  try {
    **session_ << "COMMIT";
    committed.swap(holdOf(&db_)->afterCommit);
  } catch (...) {
    holdOf(&db_)->afterCommit.clear();
    try {
      **session_ << "ROLLBACK";
    } catch (...) {
      // The original error matters more than a failed rollback.
    }
    throw;
  }
  session_.reset();  // the connection goes back to the pool until the next statement
  for (auto& action : committed) {
    try {
      action();
    } catch (...) {
      // Committed already: an after-commit action is best effort.
    }
  }
}

Database::LazyTransaction::~LazyTransaction() {
  if (!open_) {
    return;
  }
  ThreadHold* hold = holdOf(&db_);
  hold->afterCommit.clear();
  --hold->transactions;
  try {
    **session_ << "ROLLBACK";
  } catch (...) {
    // A destructor: the error that brought us here is already on its way.
  }
}

void Database::afterCommit(std::function<void()> action) {
  ThreadHold* hold = holdOf(this);
  if (hold != nullptr && hold->transactions > 0) {
    hold->afterCommit.push_back(std::move(action));
    return;
  }
  try {
    action();
  } catch (...) {
  }
}

long long nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace ruche::storage
