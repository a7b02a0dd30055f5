#pragma once

#include <string>
#include <vector>

#include "kernel/events/EventBus.h"
#include "kernel/storage/Database.h"

namespace ruche::domain {

/// One rating after a completed application, in one direction.
struct FeedbackEntry {
  std::string direction;  ///< from_volunteer | from_association
  long long authorAccountId = 0;
  std::string authorName;
  int rating = 0;  ///< 1–5
  std::string comment;
  long long createdAt = 0;
};

/// Feedback both ways once an application is completed: the volunteer rates
/// the association (from_volunteer), a coordinator rates the volunteer
/// (from_association); one of each. Throws http::HttpError 409 when the
/// application is not completed or that direction was already given, 422
/// with field errors (rating, comment).
class Feedback {
 public:
  /// With `events`, given feedback publishes feedback.given (payload
  /// application_id, mission_id, account_id of the volunteer, direction,
  /// rating) in the mission's association, in the same transaction.
  explicit Feedback(storage::Database& db, events::EventBus* events = nullptr) : db_(db), events_(events) {}

  /// The caller has already checked who may speak for `direction` on this
  /// application (the volunteer, or a coordinator of its association).
  void give(long long applicationId, const std::string& direction, long long authorId, const std::string& rating,
            const std::string& comment);
  std::vector<FeedbackEntry> ofApplication(long long applicationId);

 private:
  storage::Database& db_;
  events::EventBus* events_;
};

}  // namespace ruche::domain
