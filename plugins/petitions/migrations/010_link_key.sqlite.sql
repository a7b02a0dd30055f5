-- The key that hides signature ids in links (src/LinkIds.h), made here so
-- that it is committed before any link is mailed: made lazily inside a
-- batch of signatures, a rolled-back batch could leave a process using a
-- key the database never kept. 256 random bits from SQLite's randomblob.
INSERT INTO petitions_secrets (name, value) SELECT 'link_key', lower(hex(randomblob(32))) WHERE NOT EXISTS (SELECT 1 FROM petitions_secrets WHERE name = 'link_key');
