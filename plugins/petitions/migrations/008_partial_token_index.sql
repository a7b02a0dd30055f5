-- The token index now holds only the rows whose links are looked up by the
-- token's hash (linked_by_id 0, mailed before migration 007); new rows add
-- no entry. Its own migration, so that the ALTER TABLEs of 007 (whose lock
-- stops reading too) are committed before the new index is built: building
-- it only holds the signatures' writes (on PostgreSQL about a second per
-- million signatures); the old index goes once the new one is there.
CREATE UNIQUE INDEX petitions_signatures_old_token ON petitions_signatures (token) WHERE linked_by_id = 0;
DROP INDEX petitions_signatures_token;
