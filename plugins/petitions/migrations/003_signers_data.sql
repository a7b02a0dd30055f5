-- Signers' data (issue 7): hashed tokens, withdrawal, updates to those who
-- consented, erasure a set number of months after closing, and the report
-- totals kept after it. Independent of migration 002.

-- Confirmation tokens were stored as typed; from now on `token` holds the
-- SHA-256 (hex) of the token. Plain tokens cannot be hashed in SQL on both
-- databases, so they are invalidated: 'invalidated-<id>' is never the hash
-- of a token, and a pending signer whose link no longer works signs again
-- and gets a new one (the link counts as expired).
UPDATE petitions_signatures SET token = 'invalidated-' || CAST(id AS TEXT);
UPDATE petitions_signatures SET token_expires_at = 0, mailed_at = 0 WHERE confirmed_at IS NULL;

-- The signer's language (fr, en; '' when unknown), for the mails sent later.
ALTER TABLE petitions_signatures ADD COLUMN locale TEXT NOT NULL DEFAULT '';
-- Set when the signer withdrew; their personal data is then blanked.
ALTER TABLE petitions_signatures ADD COLUMN withdrawn_at BIGINT;
-- Set when the personal data was erased after the petition closed.
ALTER TABLE petitions_signatures ADD COLUMN erased_at BIGINT;

-- Personal links (withdrawal, stop the updates) mailed to a signer: one per
-- mail, stored as SHA-256 (hex) only.
CREATE TABLE petitions_links (
  token_hash TEXT NOT NULL,
  signature_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX petitions_links_token ON petitions_links (token_hash);
CREATE INDEX petitions_links_signature ON petitions_links (signature_id);

-- Updates a coordinator wrote; mailed in batches to the confirmed signers
-- who ticked "keep me informed" (up to last_signature_id, the highest id
-- when it was written), cursor_id the last one queued.
CREATE TABLE petitions_updates (
  id {{id}},
  petition_id BIGINT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  recipients BIGINT NOT NULL,
  queued BIGINT NOT NULL DEFAULT 0,
  last_signature_id BIGINT NOT NULL,
  cursor_id BIGINT NOT NULL DEFAULT 0,
  finished_at BIGINT
);
CREATE INDEX petitions_updates_petition ON petitions_updates (petition_id);

-- When a petition stopped taking signatures, and when its signers' personal
-- data is (or was) erased.
CREATE TABLE petitions_retention (
  petition_id BIGINT NOT NULL PRIMARY KEY,
  closed_at BIGINT NOT NULL,
  erase_months INTEGER NOT NULL,
  erased_at BIGINT
);

-- The delivery report's counts, kept when the signers' data is erased.
CREATE TABLE petitions_report_totals (
  petition_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  n BIGINT NOT NULL
);
CREATE INDEX petitions_report_totals_petition ON petitions_report_totals (petition_id);
