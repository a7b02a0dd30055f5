#pragma once

#include "kernel/storage/Database.h"

namespace ruche::jobs {

/// How long finished records are kept (events.retention_days,
/// mail.retention_days).
struct RetentionPeriods {
  int eventDays = 30;  ///< delivered event deliveries, their events, delivered webhook messages
  int mailDays = 30;   ///< the sent-mail log (mail_sent)
};

/// What one purge removed.
struct PurgeCounts {
  long long eventDeliveries = 0;
  long long events = 0;
  long long webhookDeliveries = 0;
  long long mailsSent = 0;
  long long total() const { return eventDeliveries + events + webhookDeliveries + mailsSent; }
};

/// Removes what is finished and older than its retention period, `now` being
/// seconds since the epoch: delivered event deliveries, then events left
/// with no delivery at all, delivered webhook messages, and mail_sent rows.
/// Pending, failing and dead deliveries (and so their events) stay: dead
/// letters wait for an admin's replay. Deletes in chunks of a few thousand
/// rows, each in its own short transaction, so a large backlog of old rows
/// never holds a long lock.
PurgeCounts purgeOldRows(storage::Database& db, const RetentionPeriods& retention, long long now);

}  // namespace ruche::jobs
