#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/events/EventBus.h"
#include "kernel/storage/Database.h"

namespace ruche::domain {

/// One volunteer's application to one mission, with what pages show of its
/// mission and association (read from the `missions` table directly).
struct Application {
  long long id = 0;
  long long missionId = 0;
  std::string missionTitle;
  long long associationId = 0;
  std::string associationSlug;
  std::string associationName;
  std::string charter;      ///< the association's charter, signed at charter_signed
  long long accountId = 0;  ///< 0 once the account is deleted
  std::string volunteerName;
  std::string volunteerEmail;
  std::string status;  ///< see applicationSteps(), or withdrawn | declined
  std::string motivation;
  long long referentAccountId = 0;  ///< 0: none yet
  std::string referentName;
  long long charterSignedAt = 0;  ///< 0: not signed
  long long createdAt = 0;
  long long updatedAt = 0;
};

/// One status change, written in the same transaction as the change itself.
struct ApplicationEvent {
  std::string fromStatus;
  std::string toStatus;
  long long actorAccountId = 0;
  std::string actorName;
  std::string note;
  long long at = 0;
};

/// The onboarding steps in order: applied → interview_scheduled →
/// charter_signed → training_done → active → completed.
const std::vector<std::string>& applicationSteps();
/// Every status the schema accepts: the steps, then withdrawn and declined.
const std::vector<std::string>& applicationStatuses();
/// completed, withdrawn and declined: nothing moves an application from there.
bool isFinalStatus(const std::string& status);
/// The step after `status`, if any (strictly one step forward).
std::optional<std::string> nextStep(const std::string& status);
/// Statuses a coordinator may move an application to from `status`: the next
/// step unless it is the volunteer's (charter_signed), plus declined.
std::vector<std::string> coordinatorTargets(const std::string& status);

/// The application journey: apply, move through the steps, withdraw, decline.
/// Every method checks that the application belongs to the caller's scope
/// (the volunteer, or the association) and throws http::HttpError 404 if not,
/// 422 with field errors on bad input, 409 when the state forbids the change.
class Applications {
 public:
  /// With `events`, every change publishes application.created or
  /// application.status_changed in its own transaction.
  explicit Applications(storage::Database& db, events::EventBus* events = nullptr) : db_(db), events_(events) {}

  /// Applies to a published mission. 403 when the account's e-mail is not
  /// verified; 404 for an unknown or draft mission; 409 for a closed mission
  /// or a second application; 422 (field "motivation") over 2000 characters.
  long long apply(long long missionId, long long accountId, const std::string& motivation);

  std::optional<Application> byId(long long applicationId);
  /// The application when it is the account's own, else 404.
  Application ownedBy(long long applicationId, long long accountId);
  /// The application when its mission belongs to the association, else 404.
  Application inAssociation(long long applicationId, long long associationId);
  /// The account's application to a mission, if any.
  std::optional<long long> existing(long long missionId, long long accountId);

  /// Newest first.
  std::vector<Application> ofAccount(long long accountId);
  /// Every application to the association's missions, newest first.
  std::vector<Application> ofAssociation(long long associationId);
  /// Oldest first.
  std::vector<ApplicationEvent> history(long long applicationId);

  /// The volunteer signs the association's charter: interview_scheduled →
  /// charter_signed, stamping charter_signed_at. `accepted` is the checkbox.
  void signCharter(long long applicationId, long long accountId, bool accepted);
  /// The volunteer withdraws from any non-final state.
  void withdraw(long long applicationId, long long accountId, const std::string& reason);
  /// A coordinator or admin of the association moves the application one
  /// step forward, or declines it. Moving to active sets the referent, who
  /// must be a member of the association (0: the actor).
  void transition(long long applicationId, long long associationId, long long actorId, const std::string& to,
                  long long referentAccountId, const std::string& note);

 private:
  // Changes the status if it still is `from`, and records the event; 409 if
  // someone changed it meanwhile. Runs inside the caller's transaction.
  void move(soci::session& sql, long long applicationId, const std::string& from, const std::string& to,
            long long actorId, const std::string& note);

  storage::Database& db_;
  events::EventBus* events_;
};

}  // namespace ruche::domain
