CREATE TABLE probe_items (
  id {{id}},
  association_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  label TEXT NOT NULL
);
CREATE TABLE probe_seen (
  id {{id}},
  event_id BIGINT NOT NULL,
  note TEXT NOT NULL
);
