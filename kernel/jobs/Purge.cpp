#include "kernel/jobs/Purge.h"

#include <string>

namespace ruche::jobs {
namespace {

constexpr long long kDay = 86400;
constexpr int kChunk = 2000;

/// Runs `deleteChunk` (one DELETE of at most kChunk rows, binding :c to
/// `cutoff`) until it removes fewer; returns how many rows went.
long long deleteInChunks(storage::Database& db, const std::string& deleteChunk, long long cutoff) {
  long long total = 0;
  for (;;) {
    long long affected = 0;
    db.transaction([&](soci::session& sql) {
      soci::statement st = (sql.prepare << deleteChunk, soci::use(cutoff));
      st.execute(true);
      affected = st.get_affected_rows();
    });
    total += affected;
    if (affected < kChunk) {
      return total;
    }
  }
}

}  // namespace

PurgeCounts purgeOldRows(storage::Database& db, const RetentionPeriods& retention, long long now) {
  const std::string limit = " LIMIT " + std::to_string(kChunk) + ")";
  PurgeCounts counts;
  long long eventCutoffMs = (now - retention.eventDays * kDay) * 1000;  // the events tables count milliseconds
  counts.eventDeliveries = deleteInChunks(db,
                                          "DELETE FROM event_deliveries WHERE id IN (SELECT id FROM event_deliveries "
                                          "WHERE status = 'delivered' AND delivered_at < :c" +
                                              limit,
                                          eventCutoffMs);
  // An event goes with its last delivery (or if no subscriber ever matched it).
  counts.events = deleteInChunks(db,
                                 "DELETE FROM event_outbox WHERE id IN (SELECT e.id FROM event_outbox e "
                                 "WHERE e.created_at < :c AND NOT EXISTS "
                                 "(SELECT 1 FROM event_deliveries d WHERE d.event_id = e.id)" +
                                     limit,
                                 eventCutoffMs);
  counts.webhookDeliveries =
      deleteInChunks(db,
                     "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries "
                     "WHERE status = 'delivered' AND delivered_at < :c" +
                         limit,
                     now - retention.eventDays * kDay);
  // mail_sent has no single-column key: by time, oldest first (a chunk takes
  // every row of its last second, so it may exceed kChunk; each removes some).
  counts.mailsSent = deleteInChunks(db,
                                    "DELETE FROM mail_sent WHERE sent_at IN "
                                    "(SELECT sent_at FROM mail_sent WHERE sent_at < :c ORDER BY sent_at" +
                                        limit,
                                    now - retention.mailDays * kDay);
  return counts;
}

}  // namespace ruche::jobs
