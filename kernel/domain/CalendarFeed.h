#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/storage/Database.h"
#include "kernel/storage/Migration.h"

namespace ruche::domain {

/// One mission as it appears in a volunteer's calendar.
struct CalendarEntry {
  long long missionId = 0;
  std::string title;
  std::string description;
  std::string place;     ///< empty: remote
  std::string startsOn;  ///< YYYY-MM-DD
  std::string endsOn;    ///< YYYY-MM-DD or empty (one day)
};

/// A volunteer's iCal feed at a secret URL: /calendar/<token>.ics. Only the
/// token's hash is stored; resetting replaces it, so the old URL stops working.
class CalendarFeeds {
 public:
  explicit CalendarFeeds(storage::Database& db) : db_(db) {}

  /// A new token for the account (the previous one, if any, no longer works).
  std::string reset(long long accountId);
  /// When the current feed was created; 0 if the account has none.
  long long createdAt(long long accountId);
  /// The account a token opens, if any.
  std::optional<long long> accountFor(const std::string& token);

  /// Missions with a start day the person has applied to, is active in or has
  /// completed (withdrawn and declined applications are left out).
  std::vector<CalendarEntry> entries(long long accountId);

  /// The "calendar" module migrations (calendar_feeds).
  static const storage::ModuleMigrations& migrations();

 private:
  storage::Database& db_;
};

/// The feed as RFC 5545 text: CRLF line endings, lines folded at 75 octets,
/// TEXT values escaped. `host` goes into each UID; `now` is the DTSTAMP.
std::string renderICalendar(const std::vector<CalendarEntry>& entries, const std::string& host, long long now);

/// Escapes a TEXT value: backslash, semicolon, comma and newlines.
std::string icalEscape(const std::string& text);
/// Folds one content line (no CRLF inside) into CRLF-terminated lines of at
/// most 75 octets, continuation lines starting with a space, never cutting a
/// UTF-8 character.
std::string icalFold(const std::string& line);

}  // namespace ruche::domain
