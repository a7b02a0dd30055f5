#include "LiveIndex.h"

#include <map>
#include <utility>

#include "Loader.h"

namespace matching::plugin {
namespace {

using ruche::sdk::Context;
using ruche::sdk::Value;

/// Log rows are read from this far below the watermark: a transaction that
/// took its id before a later one but committed after it is still seen
/// (ids already applied are skipped).
constexpr long long kWindow = 200;
/// An index older than this is rebuilt from scratch: the log is pruned
/// after a day, so a long-idle process never trusts a gap.
constexpr long long kRebuildAfterSeconds = 6 * 3600;

/// The token naming this database (made once, by whoever comes first).
std::string databaseToken(Context& context) {
  auto rows = context.db().query("SELECT value FROM matching_meta WHERE name = 'instance'");
  if (!rows.empty()) {
    return rows.front()["value"].asString();
  }
  std::string token = context.randomToken(16);
  try {
    context.db().savepoint(
        [&] { context.db().execute("INSERT INTO matching_meta (name, value) VALUES ('instance', ?)", {token}); });
  } catch (const std::exception&) {
    // another process made it meanwhile
  }
  rows = context.db().query("SELECT value FROM matching_meta WHERE name = 'instance'");
  return rows.empty() ? token : rows.front()["value"].asString();
}

}  // namespace

std::shared_ptr<Index> LiveIndex::current(Context& context) {
  return of(context)->catchUp(context);
}

long long LiveIndex::replayedCount(Context& context) {
  auto live = of(context);
  std::lock_guard lock(live->mutex_);
  return live->replayed_;
}

std::shared_ptr<LiveIndex> LiveIndex::of(Context& context) {
  static std::mutex registryMutex;
  static std::map<std::string, std::shared_ptr<LiveIndex>> registry;
  std::string token = databaseToken(context);
  std::shared_ptr<LiveIndex> live;
  {
    std::lock_guard lock(registryMutex);
    auto& slot = registry[token];
    if (!slot) {
      slot = std::make_shared<LiveIndex>();
    }
    live = slot;
  }
  return live;
}

void LiveIndex::record(Context& context, const std::string& kind, long long entityId) {
  if (entityId <= 0) {
    return;
  }
  context.db().execute("INSERT INTO matching_changes (kind, entity_id, created_at) VALUES (?, ?, ?)",
                       {kind, entityId, context.now()});
}

std::unique_ptr<Index> LiveIndex::build(Context& context, std::vector<long long>* volunteerIds,
                                        std::vector<long long>* missionIds) {
  auto index = std::make_unique<Index>();
  long long now = context.now();
  for (auto& v : loadVolunteers(context.db(), 0, now)) {
    if (volunteerIds != nullptr) {
      volunteerIds->push_back(v.id);
    }
    index->upsertVolunteer(std::move(v));
  }
  for (auto& m : loadMissions(context.db(), 0, now)) {
    if (missionIds != nullptr) {
      missionIds->push_back(m.id);
    }
    index->upsertMission(std::move(m));
  }
  return index;
}

std::shared_ptr<Index> LiveIndex::catchUp(Context& context) {
  std::lock_guard lock(mutex_);
  auto& db = context.db();
  long long now = context.now();
  if (!built_ || now - builtAt_ > kRebuildAfterSeconds) {
    auto rows = db.query("SELECT MAX(id) AS top FROM matching_changes");
    long long top = rows.empty() ? 0 : rows.front()["top"].asInt();
    auto accounts = db.query("SELECT MAX(id) AS top FROM accounts");
    lastAccountId_ = accounts.empty() ? 0 : accounts.front()["top"].asInt();
    index_ = build(context);
    watermark_ = top;
    replayed_ = 0;
    builtAt_ = now;
    built_ = true;
    recent_.clear();
  }
  for (const auto& row : db.query("SELECT id FROM accounts WHERE id > ? ORDER BY id", {lastAccountId_})) {
    long long id = row["id"].asInt();
    lastAccountId_ = std::max(lastAccountId_, id);
    for (auto& v : loadVolunteers(db, id, now)) {
      index_->upsertVolunteer(std::move(v));
    }
  }
  auto rows = db.query("SELECT id, kind, entity_id FROM matching_changes WHERE id > ? ORDER BY id",
                       {std::max<long long>(0, watermark_ - kWindow)});
  std::set<std::pair<std::string, long long>> done;
  for (const auto& row : rows) {
    long long id = row["id"].asInt();
    if (recent_.count(id) != 0) {
      continue;
    }
    recent_.insert(id);
    watermark_ = std::max(watermark_, id);
    std::string kind = row["kind"].asString();
    long long entity = row["entity_id"].asInt();
    if (!done.insert({kind, entity}).second) {
      continue;
    }
    ++replayed_;
    if (kind == "volunteer") {
      auto found = loadVolunteers(db, entity, now);
      if (found.empty()) {
        index_->removeVolunteer(entity);
      } else {
        index_->upsertVolunteer(std::move(found.front()));
      }
    } else if (kind == "mission") {
      auto found = loadMissions(db, entity, now);
      if (found.empty()) {
        index_->removeMission(entity);
      } else {
        index_->upsertMission(std::move(found.front()));
      }
    }
  }
  while (!recent_.empty() && *recent_.begin() <= watermark_ - kWindow) {
    recent_.erase(recent_.begin());
  }
  return index_;
}

}  // namespace matching::plugin
