#include "kernel/cli/BatchedLogChannel.h"

#include <cerrno>
#include <unistd.h>

namespace ruche::cli {

BatchedLogChannel::BatchedLogChannel(int fd, std::chrono::milliseconds gather, std::size_t maxBuffered)
    : fd_(fd), gather_(gather), maxBuffered_(maxBuffered) {}

BatchedLogChannel::~BatchedLogChannel() {
  close();
}

void BatchedLogChannel::open() {
  std::lock_guard<std::mutex> lock(mutex_);
  startWriter();
}

bool BatchedLogChannel::startWriter() {
  if (running_ || closing_) {
    return running_;
  }
  writer_ = std::thread([this] { run(); });  // it waits for our lock
  running_ = true;
  return true;
}

void BatchedLogChannel::close() {
  std::thread writer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
    writer.swap(writer_);
  }
  wake_.notify_all();
  if (writer.joinable()) {
    writer.join();  // it writes what is left before it returns
  }
}

void BatchedLogChannel::flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  const std::uint64_t target = appended_;
  if (!running_ || written_ >= target) {
    return;
  }
  hurry_ = true;
  wake_.notify_all();
  flushed_.wait(lock, [&] { return written_ >= target || !running_; });
}

void BatchedLogChannel::log(const Poco::Message& message) {
  const std::string& text = message.getText();
  {
    std::unique_lock<std::mutex> lock(mutex_);
    bool writer = running_;
    if (!writer && !closing_) {
      try {
        writer = startWriter();
      } catch (const std::exception&) {
        writer = false;  // no thread to be had: this line is written below
      }
    }
    // While the writer runs (even closing), the line goes through it, so
    // lines stay in order; once it has stopped, the caller writes.
    if (writer) {
      if (buffer_.size() + writing_ + text.size() + 1 > maxBuffered_) {
        if (dropped_++ == 0) {
          lock.unlock();
          wake_.notify_one();  // the count is written as soon as the output moves
        }
        return;
      }
      const std::size_t half = maxBuffered_ / 2;
      bool wasEmpty = buffer_.empty();
      bool belowHalf = buffer_.size() < half;
      buffer_.append(text).push_back('\n');
      appended_ += text.size() + 1;
      // The writer is woken when a batch starts, and when the buffer passes
      // half its bound: written early rather than dropped.
      if (wasEmpty || (belowHalf && buffer_.size() >= half)) {
        lock.unlock();
        wake_.notify_one();
      }
      return;
    }
  }
  writeAll(text + "\n");
}

void BatchedLogChannel::run() {
  std::string batch;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return closing_ || !buffer_.empty() || dropped_ > 0; });
    if (!closing_) {
      // Lines of the next few milliseconds join this write, unless the
      // buffer grows large first.
      wake_.wait_for(lock, gather_, [this] { return closing_ || hurry_ || buffer_.size() >= maxBuffered_ / 2; });
    }
    hurry_ = false;
    batch.clear();
    batch.swap(buffer_);
    const std::size_t lines = batch.size();
    std::size_t dropped = dropped_;
    dropped_ = 0;
    if (dropped > 0) {
      batch += "log: " + std::to_string(dropped) + " lines dropped while the log output was blocked\n";
    }
    writing_ = batch.size();  // counted against the bound while it is written
    lock.unlock();
    writeAll(batch);
    lock.lock();
    writing_ = 0;
    written_ += lines;
    const bool done = closing_ && buffer_.empty() && dropped_ == 0;
    if (done) {
      running_ = false;
    }
    flushed_.notify_all();
    if (done) {
      return;
    }
  }
}

void BatchedLogChannel::writeAll(const std::string& text) const {
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd_, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace ruche::cli
