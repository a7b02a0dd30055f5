CREATE TABLE cli_probe_notes (
  id {{id}},
  body TEXT NOT NULL
);
