#pragma once

#include <string>
#include <vector>

#include "kernel/events/EventBus.h"
#include "kernel/storage/Database.h"

namespace ruche::domain {

/// Time a volunteer gave on one application, as logged and as decided.
struct HoursEntry {
  long long id = 0;
  long long applicationId = 0;
  long long accountId = 0;
  std::string volunteerName;
  std::string missionTitle;
  std::string day;  ///< YYYY-MM-DD
  int minutes = 0;
  std::string note;
  std::string status;  ///< pending | validated | rejected
  long long validatedBy = 0;
  long long validatedAt = 0;
  long long createdAt = 0;
};

/// Hours logged by volunteers and validated or rejected by coordinators.
/// Throws http::HttpError: 404 outside the caller's scope, 409 when the
/// state forbids it, 422 with field errors (day, minutes, note).
class Hours {
 public:
  /// With `events`, logging publishes hours.logged and a decision
  /// hours.validated or hours.rejected, in the change's transaction.
  explicit Hours(storage::Database& db, events::EventBus* events = nullptr) : db_(db), events_(events) {}

  /// The volunteer logs time on their own application, which must be
  /// active or completed: a day not in the future, 1–1440 minutes, a note of
  /// at most 500 characters. Starts pending. Returns the new id.
  long long log(long long applicationId, long long accountId, const std::string& day, const std::string& minutes,
                const std::string& note);
  /// Newest day first.
  std::vector<HoursEntry> ofApplication(long long applicationId);
  /// Pending entries of the association's missions, oldest day first.
  std::vector<HoursEntry> pendingOfAssociation(long long associationId);
  /// A coordinator validates (or rejects) a pending entry of the association.
  void decide(long long hoursId, long long associationId, long long actorId, bool validate);

 private:
  storage::Database& db_;
  events::EventBus* events_;
};

/// Today's date as YYYY-MM-DD at UTC+14, the earliest time zone, so that a
/// volunteer anywhere may log the day they are living.
std::string latestToday();

}  // namespace ruche::domain
