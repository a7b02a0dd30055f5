#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/storage/Database.h"
#include "kernel/storage/Migration.h"

namespace ruche::plugins {

/// A plugin's federation-wide state, as admins see it.
///  - active:   loaded at start, answers where an association enabled it
///  - disabled: switched off by a federation admin
///  - failing:  switched off automatically after repeated failures
///  - crashed:  the process died while loading it; skipped until re-enabled
///  - removed:  its folder was removed; its data is kept unless purged
struct PluginState {
  std::string name;
  std::string state;
  std::string reason;   ///< why it is not active, for the admin panel
  std::string version;  ///< last version seen
  long long installedAt = 0;
  long long changedAt = 0;
};

/// One failure of a plugin (a handler, a subscriber, a job, or its loading).
struct PluginFailure {
  std::string plugin;
  std::string kind;  ///< "request", "event", "job", "load"
  std::string message;
  long long at = 0;
};

/// The plugins' rows in the database: federation state, enablement per
/// association, settings values, failures, extra profile values. Shared by
/// every `ruche serve` process and the `ruche plugin` commands, so a change
/// made by one is seen by all without a restart.
class PluginStore {
 public:
  explicit PluginStore(storage::Database& db) : db_(db) {}

  /// Records a plugin seen in a plugins folder (state active) if it is new,
  /// and its version; returns its state.
  PluginState noteSeen(const std::string& name, const std::string& version);
  std::optional<PluginState> state(const std::string& name);
  std::vector<PluginState> all();
  void setState(const std::string& name, const std::string& state, const std::string& reason = "");

  /// Whether the plugin answers in an association: active and enabled there.
  /// One indexed query, made per plugin request.
  bool answersIn(const std::string& plugin, long long associationId);
  bool isActive(const std::string& plugin);
  void setEnabled(const std::string& plugin, long long associationId, bool enabled);
  bool enabledIn(const std::string& plugin, long long associationId);
  std::vector<long long> enabledAssociations(const std::string& plugin);

  /// Stored values (association 0: federation defaults); secrets included.
  std::map<std::string, std::string> settings(const std::string& plugin, long long associationId);
  void saveSettings(const std::string& plugin, long long associationId,
                    const std::map<std::string, std::string>& values);

  /// Records a failure; returns how many the plugin had in the last
  /// `windowSeconds` (this one included), in the same transaction.
  int recordFailure(const std::string& plugin, const std::string& kind, const std::string& message,
                    long long windowSeconds);
  std::vector<PluginFailure> lastFailures(const std::string& plugin, int limit = 10);

  std::string profileValue(long long accountId, const std::string& plugin, const std::string& key);
  std::map<std::string, std::string> profileValues(long long accountId, const std::string& plugin);
  void setProfileValue(long long accountId, const std::string& plugin, const std::string& key,
                       const std::string& value);

  /// Forgets every plugin profile value of a person (account deletion).
  void clearProfileValues(long long accountId);

  /// Deletes everything Ruche holds for the plugin: its tables (those named
  /// "<plugin>_…"), its migration records, settings, enablement, failures and
  /// profile values, and its state row. Returns the tables dropped.
  std::vector<std::string> purge(const std::string& plugin);

  /// The plugins module's migrations.
  static const storage::ModuleMigrations& migrations();

 private:
  storage::Database& db_;
};

}  // namespace ruche::plugins
