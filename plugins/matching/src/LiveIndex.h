// The in-memory index of one database, kept current across processes.
//
// Events reach one process per subscriber, so the plugin's subscribers do
// not touch any index: they write what changed (a volunteer's or a mission's
// id) into the change log, matching_changes, in the event's transaction.
// Each process's LiveIndex is built from the kernel's tables on first use,
// then, before each answer, replays the log rows past its watermark (an
// indexed range read on the primary key, never a scan of the kernel's
// tables), reloading just those people and missions. New accounts (a signup
// publishes no event) are the ids above the highest seen: a range read too.
#pragma once

#include <memory>
#include <mutex>
#include <ruche/sdk/Context.h>
#include <set>
#include <string>

#include "matching/Index.h"

namespace matching::plugin {

class LiveIndex {
 public:
  /// The current index of the database `context` works on: built on first
  /// use (under a lock), then caught up with the change log. Shared: a
  /// rebuild in another thread never pulls it from under a query.
  static std::shared_ptr<Index> current(ruche::sdk::Context& context);
  /// Log rows this process applied to the index of `context`'s database
  /// since it was built (the check route shows it).
  static long long replayedCount(ruche::sdk::Context& context);

  /// Writes one change into the log (subscribers), in the caller's transaction.
  /// `kind`: "volunteer" or "mission".
  static void record(ruche::sdk::Context& context, const std::string& kind, long long entityId);

  /// A fresh index built from the database alone, for consistency checks.
  static std::unique_ptr<Index> build(ruche::sdk::Context& context, std::vector<long long>* volunteerIds = nullptr,
                                      std::vector<long long>* missionIds = nullptr);

 private:
  static std::shared_ptr<LiveIndex> of(ruche::sdk::Context& context);
  std::shared_ptr<Index> catchUp(ruche::sdk::Context& context);

  std::mutex mutex_;
  bool built_ = false;
  long long watermark_ = 0;
  long long lastAccountId_ = 0;  ///< accounts above it are new (a signup publishes no event)
  long long builtAt_ = 0;
  long long replayed_ = 0;
  std::set<long long> recent_;  ///< ids applied within the trailing window
  std::shared_ptr<Index> index_;
};

}  // namespace matching::plugin
