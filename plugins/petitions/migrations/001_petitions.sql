-- Petitions, their signatures, their sharded counters and the per-IP
-- signing log. Timestamps are seconds since the epoch, days YYYY-MM-DD.
CREATE TABLE petitions_petitions (
  id {{id}},
  association_id BIGINT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  addressee TEXT NOT NULL,
  goal BIGINT NOT NULL,
  deadline TEXT,
  status TEXT NOT NULL,
  ask_postcode INTEGER NOT NULL DEFAULT 0,
  ask_country INTEGER NOT NULL DEFAULT 0,
  ask_comment INTEGER NOT NULL DEFAULT 0,
  consent_text TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX petitions_petitions_association ON petitions_petitions (association_id);

-- One row per normalised e-mail and petition; confirmed_at NULL while pending.
CREATE TABLE petitions_signatures (
  id {{id}},
  petition_id BIGINT NOT NULL,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL,
  name TEXT NOT NULL,
  postcode TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  consent INTEGER NOT NULL DEFAULT 0,
  token TEXT NOT NULL,
  token_expires_at BIGINT NOT NULL,
  mailed_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  confirmed_at BIGINT
);
CREATE UNIQUE INDEX petitions_signatures_email ON petitions_signatures (petition_id, email_key);
CREATE UNIQUE INDEX petitions_signatures_token ON petitions_signatures (token);
CREATE INDEX petitions_signatures_pending ON petitions_signatures (petition_id, confirmed_at);

-- Confirmed signatures: kCounterShards rows per petition, the count is the sum.
CREATE TABLE petitions_counters (
  petition_id BIGINT NOT NULL,
  shard INTEGER NOT NULL,
  n BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (petition_id, shard)
);

-- Signing attempts per petition and IP, kept for the rate-limit window only.
CREATE TABLE petitions_ip_hits (
  petition_id BIGINT NOT NULL,
  ip TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX petitions_ip_hits_lookup ON petitions_ip_hits (petition_id, ip, at);
