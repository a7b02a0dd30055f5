#include <Poco/AutoPtr.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>

#include <csignal>
#include <unistd.h>

#include "kernel/cli/BatchedLogChannel.h"
#include "kernel/cli/Commands.h"
#include "kernel/http/RequestIdFormatter.h"

namespace ruche::cli {

namespace {
// Kept so what is buffered can be written before the process exits.
Poco::AutoPtr<BatchedLogChannel> output;
}  // namespace

void setUpLogging(const std::string& level) {
  // The request id is read when the line is formatted, on the request's own
  // thread; only writing to standard error happens on the logging thread,
  // many lines at a time, so a slow terminal or journald never holds up a
  // request.
  Poco::AutoPtr<http::RequestIdFormatter> formatter(new http::RequestIdFormatter("%Y-%m-%dT%H:%M:%SZ %p %s: %t"));
  output = new BatchedLogChannel(STDERR_FILENO);
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, output));
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

void syncLogs() {
  if (output) {
    output->flush();
  }
}

void flushLogs() {
  if (output) {
    output->close();
  }
}

void blockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::string waitForStopSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  int signal = 0;
  sigwait(&set, &signal);
  return signal == SIGTERM ? "SIGTERM" : signal == SIGHUP ? "SIGHUP" : "SIGINT";
}

}  // namespace ruche::cli
