#pragma once

#include <Poco/Channel.h>
#include <Poco/Message.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace ruche::cli {

/// Writes log lines to a file descriptor (standard error in `ruche serve`)
/// from one background thread, many lines per write.
///
/// Poco's AsyncChannel wakes its thread and writes once per message: under
/// a burst that is a thread switch and a system call for every request's
/// access line. Here a request appends its line to a buffer and wakes the
/// writer only when the buffer was empty; the writer waits `gather` for
/// more lines, then writes them all at once. A line is on its way within
/// `gather`; a request never waits for the terminal or journald.
///
/// Memory is bounded: while the writer is stuck (a full pipe), lines past
/// `maxBuffered` bytes (the batch being written included) are dropped and
/// counted, and the count is written once the writer moves again.
class BatchedLogChannel : public Poco::Channel {
 public:
  explicit BatchedLogChannel(int fd, std::chrono::milliseconds gather = std::chrono::milliseconds(20),
                             std::size_t maxBuffered = 8 * 1024 * 1024);

  /// Starts the writer thread (Poco calls it; log() also does when needed).
  void open() override;
  /// Writes what is buffered and stops the writer; later lines are written
  /// at once by the logging thread itself.
  void close() override;
  void log(const Poco::Message& message) override;
  /// Returns once every line logged before the call is written (or
  /// dropped): e.g. before announcing that the server runs, so its startup
  /// lines come first.
  void flush();

 protected:
  ~BatchedLogChannel() override;

 private:
  /// Starts the writer unless it runs or the channel is closing; returns
  /// whether it runs. Called with mutex_ held.
  bool startWriter();
  void run();
  /// Writes all of `text` to fd_, retrying after interruptions; gives up
  /// on another error (there is nowhere left to report it).
  void writeAll(const std::string& text) const;

  const int fd_;
  const std::chrono::milliseconds gather_;
  const std::size_t maxBuffered_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string buffer_;
  std::size_t writing_ = 0;     ///< bytes of the batch being written
  std::uint64_t appended_ = 0;  ///< bytes of lines ever buffered...
  std::uint64_t written_ = 0;   ///< ...and of those, ever written
  bool hurry_ = false;          ///< flush() waits: no gathering
  std::condition_variable flushed_;
  std::size_t dropped_ = 0;
  bool running_ = false;
  bool closing_ = false;
  std::thread writer_;
};

}  // namespace ruche::cli
