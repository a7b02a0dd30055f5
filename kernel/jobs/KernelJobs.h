#pragma once

#include <string>

#include "kernel/events/EventBus.h"
#include "kernel/jobs/JobScheduler.h"
#include "kernel/jobs/Purge.h"
#include "kernel/storage/Database.h"

namespace ruche::jobs {

/// The kernel's scheduled nudges. Each one publishes events (the mail
/// subscriber turns them into mails) and records what it nudged in
/// job_nudges in the same transaction, so a re-run never nudges twice.
class KernelJobs {
 public:
  KernelJobs(storage::Database& db, events::EventBus& bus, RetentionPeriods retention = {})
      : db_(db), bus_(bus), retention_(retention) {}

  /// Registers the jobs below on `scheduler`: unanswered applications
  /// hourly, weekly follow-ups every 7 days, mission reminders daily at
  /// 07:00 UTC, and "records.purge" (purgeOldRows, Purge.h) daily at 03:30 UTC.
  void registerOn(JobScheduler& scheduler);

  /// "application.unanswered" to the association for each application still
  /// 'applied' 3 days (and again 10 days) after it was sent:
  /// {application_id, mission_id, mission, days}. An application older than
  /// 10 days when first seen gets only the day-10 nudge. Returns how many
  /// events were published.
  int nudgeUnanswered(long long now);

  /// "volunteer.weekly_followup" (federation-wide, association 0) once per
  /// week for each person with an 'active' application: {account_id,
  /// active_applications, week}. The week is the number of whole weeks since
  /// the epoch, so a second run in the same week publishes nothing.
  int weeklyFollowup(long long now);

  /// "mission.reminder" to each person whose application is active,
  /// charter_signed or training_done, for a mission starting tomorrow —
  /// tomorrow as a UTC date (missions hold a date without a time zone; the
  /// federation is in one time zone, so the 07:00 UTC run is the morning of
  /// the day before). Payload {account_id, application_id, mission_id,
  /// mission, starts_on}, published under the mission's association.
  int missionReminders(long long now);

  /// YYYY-MM-DD of the UTC day holding `epochSeconds`.
  static std::string utcDate(long long epochSeconds);

 private:
  /// In one transaction: records (kind, objectId) and, only if it was new,
  /// publishes. Returns whether it published.
  bool nudgeOnce(const std::string& kind, long long objectId, long long now, const std::string& topic,
                 long long associationId, const std::string& payload);

  storage::Database& db_;
  events::EventBus& bus_;
  RetentionPeriods retention_;
};

}  // namespace ruche::jobs
