-- The public page's additions (issue 7, second slice): the delivery of a
-- closed petition, its image, and the proof-of-work replay log.
ALTER TABLE petitions_petitions ADD COLUMN delivered_on TEXT;
ALTER TABLE petitions_petitions ADD COLUMN delivery_note TEXT NOT NULL DEFAULT '';

-- One image per petition, base64 in the database (see README: shared by
-- every process, in the backups, no file the SDK could not reach).
CREATE TABLE petitions_images (
  petition_id BIGINT NOT NULL PRIMARY KEY,
  content_type TEXT NOT NULL,
  alt TEXT NOT NULL,
  data TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Proof-of-work challenges already used (refused if sent again), kept until
-- they expire; and the plugin's own HMAC key.
CREATE TABLE petitions_pow_used (
  nonce TEXT NOT NULL PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE TABLE petitions_secrets (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
