#pragma once

#include <map>
#include <string>
#include <vector>

#include "kernel/storage/Database.h"

namespace ruche::mail {

/// The kinds of notification a person may turn off, in display order:
/// application_received (coordinators), application_status and
/// hours_validated (volunteers). Account mails (verify, reset) are not here:
/// they cannot be turned off.
const std::vector<std::string>& notificationKinds();
bool isNotificationKind(const std::string& kind);

/// Which notifications each person receives. Every kind is on until the
/// person turns it off (on /me/notifications or with an unsubscribe link).
class NotificationPreferences {
 public:
  explicit NotificationPreferences(storage::Database& db) : db_(db) {}

  /// Every kind with its state for the account.
  std::map<std::string, bool> of(long long accountId);
  bool enabled(long long accountId, const std::string& kind);
  /// Sets the given kinds in one transaction; unknown kinds throw std::invalid_argument.
  void set(long long accountId, const std::map<std::string, bool>& states);

 private:
  storage::Database& db_;
};

}  // namespace ruche::mail
