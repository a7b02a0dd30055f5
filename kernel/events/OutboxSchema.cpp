#include "kernel/events/EventBus.h"

// The events module's own tables, migrated after the kernel's. Times are
// milliseconds since the epoch (retry delays are shorter than a second in
// tests, and the backlog's age is measured in milliseconds).
namespace ruche::events {

namespace {

const char* const kOutboxAndDeliveries = R"SQL(
-- One row per published event, written in the publisher's transaction.
-- association_id 0: federation-wide (no foreign key: the record outlives a deleted association).
CREATE TABLE event_outbox (
  id {{id}},
  topic TEXT NOT NULL,
  association_id BIGINT NOT NULL DEFAULT 0,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX event_outbox_association ON event_outbox (association_id, id);
-- One row per event and subscriber. A dispatcher claims a pending row by
-- setting claim_token and locked_until (now + lease) in a short transaction;
-- a row whose lease ran out (its process died) is claimable again.
CREATE TABLE event_deliveries (
  id {{id}},
  event_id BIGINT NOT NULL REFERENCES event_outbox (id) ON DELETE CASCADE,
  subscriber TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  locked_until BIGINT NOT NULL DEFAULT 0,
  claim_token TEXT,
  last_error TEXT,
  delivered_at BIGINT,
  dead_at BIGINT,
  UNIQUE (event_id, subscriber)
);
CREATE INDEX event_deliveries_due ON event_deliveries (status, next_attempt_at);
CREATE INDEX event_deliveries_claim ON event_deliveries (claim_token);
)SQL";

// The dispatcher's claim walks the pending deliveries in due order and stops
// at its batch. Over (status, next_attempt_at) PostgreSQL chose to gather
// every pending row and sort them: with a backlog of 70,000 mails in a burst,
// each claim read them all. This index holds only pending rows, in the
// claim's order, so a claim reads about its batch.
const char* const kPendingIndex = R"SQL(
CREATE INDEX event_deliveries_pending ON event_deliveries (next_attempt_at, id) WHERE status = 'pending';
)SQL";

// The dispatcher now names its claimed rows by id (the claim's RETURNING),
// so claim_token needs no index: each claim and each delivered mark adds
// one index entry less per delivery. (A lower fillfactor, for in-place
// claims, was measured too: it slowed publishing by a quarter.)
const char* const kNoClaimIndex = R"SQL(
DROP INDEX event_deliveries_claim;
)SQL";

// A burst's confirmation mails are queued a hundred to an event, so an
// event's payload is tens of kilobytes of text, compressed out of line.
// PostgreSQL's default (pglz) cost a signature about 3 µs of the database's
// CPU in the petitions benchmark; lz4 (PostgreSQL 14 and later, when built
// with it, as Debian's is) compresses as well for such text at a fraction of
// the cost: about 3% more signatures a second. Elsewhere (before 14, or
// without lz4) the payloads keep the default, with a notice, and the
// migration counts as done. EXECUTE: parsed only when run, so that an older
// server's syntax error is caught too.
const char* const kLz4Payloads = R"SQL(
{{postgresql}} DO $$ BEGIN EXECUTE 'ALTER TABLE event_outbox ALTER COLUMN payload SET COMPRESSION lz4'; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'event payloads keep the default compression: %', SQLERRM; END $$;
)SQL";

}  // namespace

const storage::ModuleMigrations& EventBus::migrations() {
  static const storage::ModuleMigrations module{"events",
                                                {{1, "outbox and deliveries", kOutboxAndDeliveries},
                                                 {2, "index of pending deliveries", kPendingIndex},
                                                 {3, "no index on claim tokens", kNoClaimIndex},
                                                 {4, "lz4 for payloads on PostgreSQL", kLz4Payloads}}};
  return module;
}

}  // namespace ruche::events
