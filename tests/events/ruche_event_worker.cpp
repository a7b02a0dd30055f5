// ruche_event_worker URL READY_FILE [--subscribers a,b] [--pattern P] [--sleep-ms N]
//                    [--lease-ms N] [--poll-ms N] [--batch N]
//
// One dispatcher process for tests: opens the database at URL, subscribes
// each named subscriber to P, and runs the event bus until SIGTERM. Each
// subscriber first records the delivery into the table `seen` (which the test
// created, with no unique constraint, so that a double delivery shows as two
// rows), then sleeps N ms (a slow subscriber, to be killed mid-batch). Once
// the dispatcher runs it creates READY_FILE.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <signal.h>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "kernel/events/EventBus.h"
#include "kernel/storage/Database.h"
#include "kernel/storage/Migrator.h"

namespace {

struct Options {
  std::string url;
  std::string readyFile;
  std::vector<std::string> subscribers{"worker"};
  std::string pattern = "*";
  int sleepMs = 0;
  int leaseMs = 60000;
  int pollMs = 20;
  int batch = 50;
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    if (!part.empty()) {
      parts.push_back(part);
    }
  }
  return parts;
}

Options parse(int argc, char** argv) {
  if (argc < 3) {
    throw std::runtime_error("usage: ruche_event_worker URL READY_FILE [options]");
  }
  Options options;
  options.url = argv[1];
  options.readyFile = argv[2];
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    std::string value = argv[i + 1];
    if (name == "--subscribers") {
      options.subscribers = split(value);
    } else if (name == "--pattern") {
      options.pattern = value;
    } else if (name == "--sleep-ms") {
      options.sleepMs = std::stoi(value);
    } else if (name == "--lease-ms") {
      options.leaseMs = std::stoi(value);
    } else if (name == "--poll-ms") {
      options.pollMs = std::stoi(value);
    } else if (name == "--batch") {
      options.batch = std::stoi(value);
    } else {
      throw std::runtime_error("unknown option " + name);
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ruche;
  try {
    Options options = parse(argc, argv);
    // SIGTERM is taken by sigwait below, in every thread.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    auto db = storage::Database::open(options.url, 3);
    storage::Migrator(*db).migrate({events::EventBus::migrations()});
    events::BusOptions busOptions;
    busOptions.claimLease =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::milliseconds(options.leaseMs));
    if (busOptions.claimLease.count() == 0) {
      busOptions.claimLease = std::chrono::seconds(1);
    }
    busOptions.pollInterval = std::chrono::milliseconds(options.pollMs);
    busOptions.batchSize = options.batch;
    busOptions.firstRetry = std::chrono::milliseconds(50);
    events::EventBus bus(*db, busOptions);
    long long pid = getpid();
    storage::Database& database = *db;
    for (const auto& name : options.subscribers) {
      bus.subscribe(name, options.pattern, [&database, pid, sleepMs = options.sleepMs](const events::Delivery& d) {
        {
          storage::Database::Session session(database);
          *session << "INSERT INTO seen (event_id, subscriber, idempotency_key, attempt, pid) "
                      "VALUES (:e, :s, :k, :a, :p)",
              soci::use(d.event.id), soci::use(d.subscriber), soci::use(d.idempotencyKey), soci::use(d.attempt),
              soci::use(pid);
        }
        if (sleepMs > 0) {
          std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs));
        }
      });
    }
    bus.start();
    std::ofstream(options.readyFile) << pid << "\n";
    int signal = 0;
    sigwait(&stopSignals, &signal);
    bus.stop();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "ruche_event_worker: " << e.what() << "\n";
    return 1;
  }
}
