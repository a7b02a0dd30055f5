#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <mutex>
#include <string>
#include <vector>

namespace ruche::testing {

/// Keeps the text of every message logged through it.
class RecordingChannel : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(message.getText());
  }
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

/// Records what one logger logs while it lives; the logger's channel is put
/// back afterwards. Poco swaps a logger's channel without a lock: declare it
/// before whatever logs through that logger from other threads, so that
/// those threads have ended when it goes.
class RecordedLog {
 public:
  explicit RecordedLog(const std::string& logger)
      : logger_(Poco::Logger::get(logger)), previous_(logger_.getChannel(), true), recorder_(new RecordingChannel) {
    logger_.setChannel(recorder_);
  }
  ~RecordedLog() { logger_.setChannel(previous_); }
  RecordedLog(const RecordedLog&) = delete;
  RecordedLog& operator=(const RecordedLog&) = delete;

  std::vector<std::string> lines() { return recorder_->lines(); }

 private:
  Poco::Logger& logger_;
  Poco::AutoPtr<Poco::Channel> previous_;
  Poco::AutoPtr<RecordingChannel> recorder_;
};

}  // namespace ruche::testing
