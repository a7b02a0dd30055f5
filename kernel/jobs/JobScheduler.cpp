#include "kernel/jobs/JobScheduler.h"

#include <Poco/Environment.h>
#include <Poco/Logger.h>

#include <random>
#include <stdexcept>
#include <unistd.h>

namespace ruche::jobs {

namespace {

constexpr long long kDay = 86400;

std::string makeOwner() {
  std::random_device random;
  std::string host;
  try {
    host = Poco::Environment::nodeName();
  } catch (const std::exception&) {
    host = "host";
  }
  return host + ":" + std::to_string(::getpid()) + ":" + std::to_string(random() % 1000000);
}

}  // namespace

long long JobSchedule::dueIfLastRunBefore(long long now) const {
  if (dailyAt >= 0) {
    // The latest occurrence of the daily time at or before now.
    long long slot = now - (now % kDay) + dailyAt;
    if (slot > now) {
      slot -= kDay;
    }
    return slot + 1;
  }
  return now - period + 1;
}

JobScheduler::JobScheduler(storage::Database& db, SchedulerOptions options)
    : db_(db), options_(options), owner_(makeOwner()) {}

JobScheduler::~JobScheduler() {
  stop();
}

void JobScheduler::add(const std::string& name, JobSchedule schedule, JobBody body) {
  for (const auto& job : jobs_) {
    if (job.name == name) {
      throw std::logic_error("job registered twice: " + name);
    }
  }
  if ((schedule.dailyAt < 0 && schedule.period <= 0) || schedule.dailyAt >= kDay) {
    throw std::logic_error("job " + name + " has no valid schedule");
  }
  // Every process inserts the row; ON CONFLICT makes the losers no-ops
  // (SQLite >= 3.24 and PostgreSQL share this syntax).
  db_.transaction([&](soci::session& sql) {
    sql << "INSERT INTO job_runs (name, last_run_at, locked_until, locked_by) VALUES (:n, 0, 0, '') "
           "ON CONFLICT (name) DO NOTHING",
        soci::use(name);
  });
  jobs_.push_back(Job{name, schedule, std::move(body)});
}

bool JobScheduler::claim(const Job& job, long long now) {
  long long lockedUntil = now + options_.lease.count();
  long long dueBefore = job.schedule.dueIfLastRunBefore(now);
  long long affected = 0;
  db_.transaction([&](soci::session& sql) {
    soci::statement st =
        (sql.prepare << "UPDATE job_runs SET locked_until = :l, locked_by = :o "
                        "WHERE name = :n AND locked_until < :now AND last_run_at < :due",
         soci::use(lockedUntil), soci::use(owner_), soci::use(job.name), soci::use(now), soci::use(dueBefore));
    st.execute(true);
    affected = st.get_affected_rows();
  });
  return affected == 1;
}

void JobScheduler::finish(const Job& job, long long now, bool succeeded) {
  db_.transaction([&](soci::session& sql) {
    if (succeeded) {
      sql << "UPDATE job_runs SET last_run_at = :r, locked_until = 0 WHERE name = :n AND locked_by = :o",
          soci::use(now), soci::use(job.name), soci::use(owner_);
    } else {
      long long retry = storage::nowSeconds() + options_.retryAfter.count();
      sql << "UPDATE job_runs SET locked_until = :l WHERE name = :n AND locked_by = :o", soci::use(retry),
          soci::use(job.name), soci::use(owner_);
    }
  });
}

std::vector<std::string> JobScheduler::runDue(long long now) {
  std::vector<std::string> ran;
  for (const auto& job : jobs_) {
    if (!claim(job, now)) {
      continue;
    }
    bool succeeded = false;
    try {
      job.body(now);
      succeeded = true;
    } catch (const std::exception& error) {
      Poco::Logger::get("ruche").error("job %s failed: %s", job.name, std::string(error.what()));
    }
    finish(job, now, succeeded);
    if (succeeded) {
      ran.push_back(job.name);
    }
  }
  return ran;
}

void JobScheduler::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) {
    return;
  }
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void JobScheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void JobScheduler::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      runDue();
    } catch (const std::exception& error) {  // the database was unreachable: try at the next tick
      Poco::Logger::get("ruche").warning("jobs: %s", std::string(error.what()));
    }
    lock.lock();
    wake_.wait_for(lock, options_.tick, [this] { return stopping_; });
  }
}

}  // namespace ruche::jobs
