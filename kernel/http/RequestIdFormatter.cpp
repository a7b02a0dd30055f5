#include "kernel/http/RequestIdFormatter.h"

#include <Poco/Message.h>

namespace ruche::http {
namespace {
thread_local std::string currentId;
}  // namespace

void setCurrentRequestId(const std::string& id) {
  currentId = id;
}
const std::string& currentRequestId() {
  return currentId;
}

RequestIdFormatter::RequestIdFormatter(const std::string& pattern) : inner_(new Poco::PatternFormatter(pattern)) {}

void RequestIdFormatter::format(const Poco::Message& msg, std::string& text) {
  if (currentId.empty()) {
    inner_->format(msg, text);
    return;
  }
  Poco::Message tagged(msg);
  tagged.setText("[" + currentId + "] " + msg.getText());
  inner_->format(tagged, text);
}

}  // namespace ruche::http
