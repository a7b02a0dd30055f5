#include <Poco/AsyncChannel.h>
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>

#include <csignal>

#include "kernel/cli/Commands.h"
#include "kernel/http/RequestIdFormatter.h"

namespace ruche::cli {

namespace {
// Kept so the queue can be flushed before the process exits.
Poco::AutoPtr<Poco::AsyncChannel> asyncChannel;
}  // namespace

void setUpLogging(const std::string& level) {
  Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel);
  // The request id is read when the line is formatted, on the request's own
  // thread; only writing to the console happens on the logging thread, so a
  // slow terminal or journald never holds up a request.
  Poco::AutoPtr<http::RequestIdFormatter> formatter(new http::RequestIdFormatter("%Y-%m-%dT%H:%M:%SZ %p %s: %t"));
  asyncChannel = new Poco::AsyncChannel(console);
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, asyncChannel));
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

void flushLogs() {
  if (asyncChannel) {
    asyncChannel->close();
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
