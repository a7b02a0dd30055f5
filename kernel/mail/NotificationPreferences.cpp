#include "kernel/mail/NotificationPreferences.h"

#include <algorithm>
#include <stdexcept>

namespace ruche::mail {

const std::vector<std::string>& notificationKinds() {
  static const std::vector<std::string> kinds = {"application_received",   "application_status", "hours_validated",
                                                 "application_unanswered", "mission_reminder",   "weekly_followup"};
  return kinds;
}

bool isNotificationKind(const std::string& kind) {
  const auto& kinds = notificationKinds();
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::map<std::string, bool> NotificationPreferences::of(long long accountId) {
  std::map<std::string, bool> states;
  for (const auto& kind : notificationKinds()) {
    states[kind] = true;
  }
  storage::Database::Session session(db_);
  std::string kind;
  int enabled = 1;
  soci::statement st = (session->prepare << "SELECT kind, enabled FROM notification_preferences WHERE account_id = :a",
                        soci::use(accountId), soci::into(kind), soci::into(enabled));
  st.execute();
  while (st.fetch()) {
    if (states.count(kind) != 0) {
      states[kind] = enabled != 0;
    }
  }
  return states;
}

bool NotificationPreferences::enabled(long long accountId, const std::string& kind) {
  storage::Database::Session session(db_);
  int enabled = 1;
  *session << "SELECT enabled FROM notification_preferences WHERE account_id = :a AND kind = :k", soci::use(accountId),
      soci::use(kind), soci::into(enabled);
  return !session->got_data() || enabled != 0;
}

void NotificationPreferences::set(long long accountId, const std::map<std::string, bool>& states) {
  for (const auto& [kind, on] : states) {
    if (!isNotificationKind(kind)) {
      throw std::invalid_argument("unknown notification kind: " + kind);
    }
  }
  db_.transaction([&](soci::session& sql) {
    for (const auto& [kind, on] : states) {
      int value = on ? 1 : 0;
      sql << "INSERT INTO notification_preferences (account_id, kind, enabled) VALUES (:a, :k, :e) "
             "ON CONFLICT (account_id, kind) DO UPDATE SET enabled = excluded.enabled",
          soci::use(accountId), soci::use(kind), soci::use(value);
    }
  });
}

}  // namespace ruche::mail
