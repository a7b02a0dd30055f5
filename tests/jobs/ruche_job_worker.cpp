// ruche_job_worker URL READY_FILE GO_FILE [--tick-ms N] [--period-s N] [--run-ms N]
//
// One scheduler process for tests: opens the database at URL, registers two
// jobs on a JobScheduler, creates READY_FILE, waits for GO_FILE (so that
// every worker of a test starts ticking at the same moment), then runs the
// scheduler thread until SIGTERM.
//   "once":     due once (a period of ten years); each run inserts a row.
//   "periodic": every N seconds; each run inserts a row with the run's `now`
//               (its period) and its start and end in milliseconds, and
//               takes M ms, so an overlapping or doubled run would show.
// The rows go to the table `job_seen` the test created (no unique
// constraint: a double run shows as two rows).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <signal.h>
#include <string>
#include <thread>
#include <unistd.h>

#include "kernel/jobs/JobScheduler.h"
#include "kernel/storage/Database.h"
#include "kernel/storage/Migrator.h"

namespace {

struct Options {
  std::string url;
  std::string readyFile;
  std::string goFile;
  int tickMs = 20;
  int periodSeconds = 1;
  int runMs = 200;
};

Options parse(int argc, char** argv) {
  if (argc < 4) {
    throw std::runtime_error("usage: ruche_job_worker URL READY_FILE GO_FILE [options]");
  }
  Options options;
  options.url = argv[1];
  options.readyFile = argv[2];
  options.goFile = argv[3];
  for (int i = 4; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    int value = std::stoi(argv[i + 1]);
    if (name == "--tick-ms") {
      options.tickMs = value;
    } else if (name == "--period-s") {
      options.periodSeconds = value;
    } else if (name == "--run-ms") {
      options.runMs = value;
    } else {
      throw std::runtime_error("unknown option " + name);
    }
  }
  return options;
}

long long nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ruche;
  try {
    Options options = parse(argc, argv);
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    auto db = storage::Database::open(options.url, 3);
    storage::Migrator(*db).migrate({jobs::JobScheduler::migrations()});
    jobs::SchedulerOptions schedulerOptions;
    schedulerOptions.tick = std::chrono::milliseconds(options.tickMs);
    jobs::JobScheduler scheduler(*db, schedulerOptions);
    long long pid = getpid();
    storage::Database& database = *db;
    auto record = [&database, pid](const std::string& job, long long period, long long startedMs) {
      long long endedMs = nowMs();
      storage::Database::Session session(database);
      *session << "INSERT INTO job_seen (job, period, pid, started_ms, ended_ms) VALUES (:j, :p, :i, :s, :e)",
          soci::use(job), soci::use(period), soci::use(pid), soci::use(startedMs), soci::use(endedMs);
    };
    scheduler.add("once", jobs::JobSchedule::every(std::chrono::hours(24 * 3650)),
                  [&record](long long now) { record("once", now, nowMs()); });
    scheduler.add("periodic", jobs::JobSchedule::every(std::chrono::seconds(options.periodSeconds)),
                  [&record, runMs = options.runMs](long long now) {
                    long long started = nowMs();
                    std::this_thread::sleep_for(std::chrono::milliseconds(runMs));
                    record("periodic", now, started);
                  });
    std::ofstream(options.readyFile) << pid << "\n";
    while (!std::filesystem::exists(options.goFile)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    scheduler.start();
    int signal = 0;
    sigwait(&stopSignals, &signal);
    scheduler.stop();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "ruche_job_worker: " << e.what() << "\n";
    return 1;
  }
}
