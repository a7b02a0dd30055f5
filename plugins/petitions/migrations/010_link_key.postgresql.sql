-- The key that hides signature ids in links (src/LinkIds.h), made here so
-- that it is committed before any link is mailed: made lazily inside a
-- batch of signatures, a rolled-back batch could leave a process using a
-- key the database never kept. 366 random bits (three v4 UUIDs, from the
-- server's strong random source) through SHA-256.
INSERT INTO petitions_secrets (name, value) SELECT 'link_key', encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex') WHERE NOT EXISTS (SELECT 1 FROM petitions_secrets WHERE name = 'link_key');
