-- The change log every process's in-memory index replays (ids of what
-- changed, written by the plugin's subscriber), the digest queue and the
-- per-person rate limit, mentor pairs and their check-ins. Timestamps are
-- seconds since the epoch, days YYYY-MM-DD.
CREATE TABLE matching_changes (
  id {{id}},
  kind TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE matching_digest_queue (
  id {{id}},
  account_id BIGINT NOT NULL,
  mission_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE UNIQUE INDEX matching_digest_queue_once ON matching_digest_queue (account_id, mission_id);
CREATE INDEX matching_digest_queue_pending ON matching_digest_queue (sent_at, account_id);
CREATE TABLE matching_digest_sent (
  account_id BIGINT PRIMARY KEY,
  last_sent_at BIGINT NOT NULL
);
CREATE TABLE matching_pairs (
  id {{id}},
  association_id BIGINT NOT NULL,
  newcomer_id BIGINT NOT NULL,
  mentor_id BIGINT NOT NULL,
  confirmed_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX matching_pairs_newcomer ON matching_pairs (association_id, newcomer_id);
CREATE INDEX matching_pairs_mentor ON matching_pairs (mentor_id);
CREATE TABLE matching_checkins (
  id {{id}},
  pair_id BIGINT NOT NULL,
  author_id BIGINT,
  day TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX matching_checkins_pair ON matching_checkins (pair_id, day);
-- One row, name 'instance': a random token naming this database, so a process
-- that serves several databases (tests) keeps one index per database.
CREATE TABLE matching_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
