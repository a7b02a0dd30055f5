-- The per-IP limit as one counter row per petition and address (issue 7's
-- burst: one statement per signature instead of DELETE, COUNT and INSERT).
-- The window starts at the address's first attempt; the counter restarts at
-- 1 on the first attempt after it. Kept in the database so that several
-- processes share it.
DROP TABLE petitions_ip_hits;
CREATE TABLE petitions_ip_counts (
  petition_id BIGINT NOT NULL,
  ip TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (petition_id, ip)
);
CREATE INDEX petitions_ip_counts_age ON petitions_ip_counts (window_start);
