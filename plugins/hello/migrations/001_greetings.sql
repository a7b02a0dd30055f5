-- One row per greeting. Tables of a plugin start with its name and "_".
-- {{id}} is the auto-increment primary key of either backend.
CREATE TABLE hello_greetings (
  id {{id}},
  account_id BIGINT NOT NULL,
  association_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX hello_greetings_association ON hello_greetings (association_id);
