#include "kernel/jobs/JobScheduler.h"

// The jobs module's tables. Times are seconds since the epoch.
namespace ruche::jobs {

namespace {

const char* const kJobTables = R"SQL(
-- One row per registered job. A process runs a job after claiming its row with
-- one conditional UPDATE (locked_until in the past, last run old enough).
CREATE TABLE job_runs (
  name TEXT PRIMARY KEY,
  last_run_at BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  locked_by TEXT NOT NULL DEFAULT ''
);
-- What a job already nudged ("application.unanswered.3", application 42): a
-- re-run, or a second process, inserts nothing and publishes nothing.
CREATE TABLE job_nudges (
  kind TEXT NOT NULL,
  object_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (kind, object_id)
);
)SQL";

}  // namespace

const storage::ModuleMigrations& JobScheduler::migrations() {
  static const storage::ModuleMigrations module{"jobs", {{1, "job runs and nudges", kJobTables}}};
  return module;
}

}  // namespace ruche::jobs
