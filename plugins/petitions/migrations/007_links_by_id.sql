-- Fewer index entries per signature (issue 7's burst). The links mailed
-- with a new signature name their row: "<id>.<secret>", found by the
-- primary key, the row keeping only the secrets' SHA-256 (`token` for the
-- confirmation, `withdraw_hash` for the withdrawal, `linked_by_id` 1).
-- Signing then writes no petitions_links row and, after migration 008, no
-- token index entry. Links mailed before keep working: their rows
-- (linked_by_id 0) are found by the token's hash, and petitions_links still
-- holds the later personal links. Two columns with constant defaults: on
-- PostgreSQL (11 and later) a change of the catalogue only, however many
-- signatures the table holds.
ALTER TABLE petitions_signatures ADD COLUMN withdraw_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions_signatures ADD COLUMN linked_by_id INTEGER NOT NULL DEFAULT 0;
