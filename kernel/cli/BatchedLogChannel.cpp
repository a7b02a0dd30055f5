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
  if (running_ || closing_) {
    return;
  }
  running_ = true;
  writer_ = std::thread([this] { run(); });
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

void BatchedLogChannel::log(const Poco::Message& message) {
  const std::string& text = message.getText();
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!closing_) {
      if (!running_) {
        lock.unlock();
        open();
        lock.lock();
      }
      if (buffer_.size() + text.size() + 1 > maxBuffered_) {
        ++dropped_;
        return;
      }
      bool wasEmpty = buffer_.empty();
      buffer_.append(text).push_back('\n');
      if (wasEmpty) {
        lock.unlock();
        wake_.notify_one();
      }
      return;
    }
  }
  writeAll(text + "\n");  // closed: nobody else will write it
}

void BatchedLogChannel::run() {
  std::string batch;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return closing_ || !buffer_.empty() || dropped_ > 0; });
    if (!closing_) {
      // Lines of the next few milliseconds join this write, unless the
      // buffer grows large first.
      wake_.wait_for(lock, gather_, [this] { return closing_ || buffer_.size() >= maxBuffered_ / 2; });
    }
    batch.clear();
    batch.swap(buffer_);
    std::size_t dropped = dropped_;
    dropped_ = 0;
    bool last = closing_;
    lock.unlock();
    if (dropped > 0) {
      batch += "log: " + std::to_string(dropped) + " lines dropped while the log output was blocked\n";
    }
    writeAll(batch);
    lock.lock();
    if (last && buffer_.empty() && dropped_ == 0) {
      running_ = false;
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
