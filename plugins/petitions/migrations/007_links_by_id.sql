-- Fewer index entries per signature (issue 7's burst). The links mailed
-- with a new signature name their row: "<id>.<secret>", found by the
-- primary key, the row keeping only the secrets' SHA-256 (`token` for the
-- confirmation, `withdraw_hash` for the withdrawal). Signing then writes no
-- petitions_links row and no token index entry. Links mailed before keep
-- working: their rows (linked_by_id 0) stay in the token index, now
-- partial, and petitions_links still holds the other personal links.
ALTER TABLE petitions_signatures ADD COLUMN withdraw_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions_signatures ADD COLUMN linked_by_id INTEGER NOT NULL DEFAULT 0;
DROP INDEX petitions_signatures_token;
CREATE UNIQUE INDEX petitions_signatures_token ON petitions_signatures (token) WHERE linked_by_id = 0;
