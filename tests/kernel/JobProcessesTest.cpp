#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "kernel/jobs/JobScheduler.h"
#include "kernel/storage/Database.h"
#include "kernel/storage/Migrator.h"
#include "tests/kernel/TestServer.h"

extern char** environ;

using namespace ruche;
using namespace ruche::testing;

// Real OS processes sharing one database through the job scheduler: each is
// a tests/jobs/ruche_job_worker whose jobs write every run into the table
// `job_seen` (no unique constraint: a double run shows as two rows).
namespace {

/// One ruche_job_worker process; killed with SIGKILL if still running at the end.
class JobWorker {
 public:
  JobWorker(const std::string& url, const std::filesystem::path& readyFile, const std::filesystem::path& goFile,
            const std::vector<std::string>& options)
      : readyFile_(readyFile) {
    std::vector<std::string> args = {RUCHE_JOB_WORKER, url, readyFile.string(), goFile.string()};
    args.insert(args.end(), options.begin(), options.end());
    std::vector<char*> argv;
    for (auto& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&pid_, RUCHE_JOB_WORKER, nullptr, nullptr, argv.data(), environ) == 0);
  }
  ~JobWorker() {
    if (pid_ > 0) {
      signal(SIGKILL);
    }
  }

  /// Waits until the worker has registered its jobs (its ready file exists).
  bool ready(std::chrono::seconds timeout = std::chrono::seconds(20)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!std::filesystem::exists(readyFile_)) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return false;
      }
      if (std::chrono::steady_clock::now() > until) {
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  /// Sends `sig` and reaps the process; returns its wait status.
  int signal(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
    return status;
  }

 private:
  std::filesystem::path readyFile_;
  pid_t pid_ = 0;
};

long long scalar(storage::Database& db, const std::string& sql) {
  storage::Database::Session session(db);
  long long n = 0;
  *session << sql, soci::into(n);
  return n;
}

/// One run of a job as a worker recorded it.
struct Run {
  long long period = 0;
  long long pid = 0;
  long long startedMs = 0;
  long long endedMs = 0;
};

std::vector<Run> runsOf(storage::Database& db, const std::string& job) {
  std::vector<Run> runs;
  Run run;
  storage::Database::Session session(db);
  soci::statement st =
      (session->prepare << "SELECT period, pid, started_ms, ended_ms FROM job_seen WHERE job = :j "
                           "ORDER BY started_ms, period",
       soci::use(job), soci::into(run.period), soci::into(run.pid), soci::into(run.startedMs), soci::into(run.endedMs));
  st.execute();
  while (st.fetch()) {
    runs.push_back(run);
  }
  return runs;
}

}  // namespace

TEST_CASE("two scheduler processes on one database run a due-once job once and a periodic job once per period") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TempDir dir;
      std::string url = freshDatabaseUrl(backend, dir.path());
      auto db = storage::Database::open(url, 2);
      storage::Migrator(*db).migrate({jobs::JobScheduler::migrations()});
      {
        storage::Database::Session session(*db);
        *session << "CREATE TABLE job_seen (job TEXT NOT NULL, period BIGINT NOT NULL, pid BIGINT NOT NULL, "
                    "started_ms BIGINT NOT NULL, ended_ms BIGINT NOT NULL)";
      }
      // Both tick every 10 ms; a periodic run takes 300 ms of its 1 s period,
      // so the two processes keep finding it due while the other holds it.
      std::vector<std::string> options = {"--tick-ms", "10", "--period-s", "1", "--run-ms", "300"};
      std::filesystem::path go = dir.path() / "go";
      JobWorker one(url, dir.path() / "one.ready", go, options);
      JobWorker two(url, dir.path() / "two.ready", go, options);
      REQUIRE(one.ready());
      REQUIRE(two.ready());
      long long firstSecond = storage::nowSeconds();
      std::ofstream(go) << "go\n";  // both start ticking now
      std::this_thread::sleep_for(std::chrono::milliseconds(4500));
      CHECK(WIFEXITED(one.signal(SIGTERM)));
      CHECK(WIFEXITED(two.signal(SIGTERM)));
      long long lastSecond = storage::nowSeconds();

      CHECK(scalar(*db, "SELECT COUNT(*) FROM job_seen WHERE job = 'once'") == 1);

      std::vector<Run> periodic = runsOf(*db, "periodic");
      MESSAGE("periodic runs: " << periodic.size() << ", by "
                                << scalar(*db, "SELECT COUNT(DISTINCT pid) FROM job_seen WHERE job = 'periodic'")
                                << " process(es)");
      // About one per second over 4.5 s: the job kept running, in either
      // process, and never more often than once per second of the window.
      CHECK(periodic.size() >= 3);
      CHECK(static_cast<long long>(periodic.size()) <= lastSecond - firstSecond + 1);
      CHECK(scalar(*db, "SELECT COUNT(DISTINCT period) FROM job_seen WHERE job = 'periodic'") ==
            static_cast<long long>(periodic.size()));
      for (std::size_t i = 1; i < periodic.size(); ++i) {
        // One after the other: a run starts only once the previous one ended,
        // in a later period.
        CHECK(periodic[i].startedMs >= periodic[i - 1].endedMs);
        CHECK(periodic[i].period > periodic[i - 1].period);
      }
      CHECK(scalar(*db, "SELECT locked_until FROM job_runs WHERE name = 'periodic'") == 0);
    }
  }
}
