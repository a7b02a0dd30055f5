#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kernel/storage/Database.h"
#include "kernel/storage/Migration.h"

namespace ruche::jobs {

/// A job's body. `now` is the scheduler's clock (seconds since the epoch) for
/// this run, so tests can run a job "later" without waiting.
using JobBody = std::function<void(long long now)>;

/// When a job is due: every `period` seconds, or once a day at `dailyAt`
/// seconds after midnight UTC.
struct JobSchedule {
  long long period = 0;    ///< seconds; 0 when daily
  long long dailyAt = -1;  ///< seconds after 00:00 UTC; -1 when periodic

  static JobSchedule every(std::chrono::seconds period) { return {period.count(), -1}; }
  static JobSchedule dailyAtUtc(int hour, int minute) { return {0, hour * 3600LL + minute * 60LL}; }

  /// A run is due when the last one began strictly before this instant.
  long long dueIfLastRunBefore(long long now) const;
};

struct SchedulerOptions {
  std::chrono::milliseconds tick{5000};  ///< how often the thread looks for due jobs
  std::chrono::seconds lease{600};       ///< a crashed process's claim expires after this
  std::chrono::seconds retryAfter{60};   ///< a failed run is tried again after this
};

/// Runs named jobs once across every process sharing the database, without a
/// leader: each process ticks, and runs a due job only after claiming its
/// row in `job_runs` with one conditional UPDATE that affects one row for the
/// winner and none for the others (the same statement on SQLite and
/// PostgreSQL). A claim is a lease: a process that dies mid-run leaves a row
/// that others can claim again once `locked_until` has passed.
class JobScheduler {
 public:
  explicit JobScheduler(storage::Database& db, SchedulerOptions options = {});
  ~JobScheduler();
  JobScheduler(const JobScheduler&) = delete;
  JobScheduler& operator=(const JobScheduler&) = delete;

  /// Registers a job under a unique name (its row in job_runs is created if
  /// missing). Register every job before start().
  void add(const std::string& name, JobSchedule schedule, JobBody body);

  /// Claims and runs, on the calling thread, every due job this process wins;
  /// returns the names of the jobs it ran. A job that throws is logged and
  /// released for a retry after `retryAfter`. For tests and the thread.
  std::vector<std::string> runDue(long long now = storage::nowSeconds());

  void start();  ///< the tick thread
  void stop();   ///< waits for a run in progress

  /// This process's name in job_runs.locked_by (host, pid and a random part).
  const std::string& owner() const { return owner_; }

  /// The migrations of the jobs module (job_runs, job_nudges).
  static const storage::ModuleMigrations& migrations();

 private:
  struct Job {
    std::string name;
    JobSchedule schedule;
    JobBody body;
  };
  bool claim(const Job& job, long long now);
  void finish(const Job& job, long long now, bool succeeded);
  void loop();

  storage::Database& db_;
  SchedulerOptions options_;
  std::string owner_;
  std::vector<Job> jobs_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ruche::jobs
