#include "kernel/cli/Reload.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <signal.h>
#include <unistd.h>

namespace ruche::cli {
namespace {

std::atomic<bool> restart{false};

std::string pidPath(const std::string& dataDir) {
  return dataDir + "/ruche.pid";
}

}  // namespace

void writePidFile(const std::string& dataDir) {
  std::ofstream(pidPath(dataDir), std::ios::trunc) << getpid() << "\n";
}

void removePidFile(const std::string& dataDir) {
  auto pid = runningServer(dataDir);
  if (pid && *pid == getpid()) {
    std::error_code ignored;
    std::filesystem::remove(pidPath(dataDir), ignored);
  }
}

std::optional<pid_t> runningServer(const std::string& dataDir) {
  std::ifstream in(pidPath(dataDir));
  long long pid = 0;
  if (!(in >> pid) || pid <= 1) {
    return std::nullopt;
  }
  // Signal 0 checks that the process exists without touching it.
  if (kill(static_cast<pid_t>(pid), 0) != 0) {
    return std::nullopt;
  }
  return static_cast<pid_t>(pid);
}

std::optional<pid_t> askServerToReload(const std::string& dataDir) {
  auto pid = runningServer(dataDir);
  if (!pid || kill(*pid, SIGHUP) != 0) {
    return std::nullopt;
  }
  return pid;
}

void requestRestart() {
  restart = true;
}

bool restartRequested() {
  return restart;
}

void restartProcess(char** argv) {
  // /proc/self/exe: the binary this process runs, even if argv[0] is relative
  // and the working directory changed.
  execv("/proc/self/exe", argv);
}

}  // namespace ruche::cli
