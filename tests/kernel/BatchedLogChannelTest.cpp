#include <Poco/AutoPtr.h>
#include <Poco/Message.h>
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "kernel/cli/BatchedLogChannel.h"

using ruche::cli::BatchedLogChannel;

namespace {

/// A pipe whose read end is drained by a thread into `text`.
struct DrainedPipe {
  DrainedPipe() { REQUIRE(::pipe(fds) == 0); }
  ~DrainedPipe() {
    closeWriteEnd();
    if (reader.joinable()) {
      reader.join();
    }
    ::close(fds[0]);
  }
  void startDraining() {
    reader = std::thread([this] {
      char chunk[4096];
      for (ssize_t n; (n = ::read(fds[0], chunk, sizeof chunk)) > 0;) {
        text.append(chunk, static_cast<std::size_t>(n));
      }
    });
  }
  void closeWriteEnd() {
    if (fds[1] >= 0) {
      ::close(fds[1]);
      fds[1] = -1;
    }
  }
  /// Everything written, once the channel is closed.
  std::string all() {
    closeWriteEnd();
    if (reader.joinable()) {
      reader.join();
    }
    return text;
  }
  int fds[2] = {-1, -1};
  std::thread reader;
  std::string text;
};

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

Poco::Message line(const std::string& text) {
  return Poco::Message("test", text, Poco::Message::PRIO_INFORMATION);
}

}  // namespace

TEST_CASE("the batched log channel writes every line of concurrent loggers whole, and what is left on close") {
  DrainedPipe pipe;
  pipe.startDraining();
  Poco::AutoPtr<BatchedLogChannel> channel(new BatchedLogChannel(pipe.fds[1], std::chrono::milliseconds(5)));
  channel->open();
  constexpr int kThreads = 4;
  constexpr int kLines = 2000;
  std::vector<std::thread> loggers;
  for (int t = 0; t < kThreads; ++t) {
    loggers.emplace_back([&, t] {
      for (int i = 0; i < kLines; ++i) {
        channel->log(line("thread " + std::to_string(t) + " line " + std::to_string(i) + " " + std::string(40, 'x')));
      }
    });
  }
  for (auto& logger : loggers) {
    logger.join();
  }
  channel->close();
  channel->log(line("after close"));  // written at once by the caller
  auto lines = linesOf(pipe.all());
  REQUIRE(lines.size() == kThreads * kLines + 1);
  std::set<std::string> distinct(lines.begin(), lines.end() - 1);
  CHECK(distinct.size() == kThreads * kLines);
  for (int t = 0; t < kThreads; ++t) {
    CHECK(distinct.count("thread " + std::to_string(t) + " line " + std::to_string(kLines - 1) + " " +
                         std::string(40, 'x')) == 1);
  }
  CHECK(lines.back() == "after close");
}

TEST_CASE("the batched log channel starts on its first line and writes it within its gather time, before any close") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  // No open(): the way Logging.cpp uses it.
  Poco::AutoPtr<BatchedLogChannel> channel(new BatchedLogChannel(fds[1], std::chrono::milliseconds(20)));
  channel->log(line("first"));
  channel->log(line("second"));
  // Read with a deadline: the writer must have been woken and have written.
  REQUIRE(::fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0);
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (seen != "first\nsecond\n" && std::chrono::steady_clock::now() < deadline) {
    char chunk[256];
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n > 0) {
      seen.append(chunk, static_cast<std::size_t>(n));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  CHECK(seen == "first\nsecond\n");
  channel->close();
  ::close(fds[1]);
  ::close(fds[0]);
}

TEST_CASE("flush on the batched log channel returns once the lines logged before it are written") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  // A gather time far longer than the test: only flush() can get them out.
  Poco::AutoPtr<BatchedLogChannel> channel(new BatchedLogChannel(fds[1], std::chrono::seconds(30)));
  channel->log(line("serving"));
  channel->log(line("ready"));
  auto started = std::chrono::steady_clock::now();
  channel->flush();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  REQUIRE(::fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0);
  char chunk[256];
  ssize_t n = ::read(fds[0], chunk, sizeof chunk);
  CHECK(std::string(chunk, n > 0 ? static_cast<std::size_t>(n) : 0) == "serving\nready\n");
  channel->flush();  // nothing left: returns at once
  channel->close();
  ::close(fds[1]);
  ::close(fds[0]);
}

TEST_CASE("while its output is blocked the batched log channel drops lines past its bound and says how many") {
  DrainedPipe pipe;
  // Nobody reads yet: the pipe fills (64 KiB on Linux) and the writer blocks.
  Poco::AutoPtr<BatchedLogChannel> channel(new BatchedLogChannel(pipe.fds[1], std::chrono::milliseconds(1), 16 * 1024));
  channel->open();
  const std::string text(99, 'y');  // 100 bytes a line
  constexpr int kLines = 5000;      // 500 KB: far more than the pipe and the bound hold
  for (int i = 0; i < kLines; ++i) {
    channel->log(line(text));
  }
  pipe.startDraining();
  channel->close();
  auto lines = linesOf(pipe.all());
  REQUIRE(!lines.empty());
  std::size_t kept = 0;
  std::size_t reportedDropped = 0;
  for (const auto& l : lines) {
    if (l == text) {
      ++kept;
    } else {
      std::size_t dropped = 0;
      REQUIRE(std::sscanf(l.c_str(), "log: %zu lines dropped", &dropped) == 1);
      reportedDropped += dropped;
    }
  }
  CHECK(kept < kLines);                     // memory stayed bounded
  CHECK(kept + reportedDropped == kLines);  // and every line is accounted for
  CHECK(reportedDropped > 0);
}
