#pragma once

#include <Poco/Formatter.h>
#include <Poco/PatternFormatter.h>

#include <string>

namespace ruche::http {

/// The request being served on this thread, so every log line carries it.
void setCurrentRequestId(const std::string& id);
const std::string& currentRequestId();

/// Prefixes each log message with "[request-id]" when one is set.
class RequestIdFormatter : public Poco::Formatter {
 public:
  explicit RequestIdFormatter(const std::string& pattern);
  void format(const Poco::Message& msg, std::string& text) override;

 private:
  Poco::AutoPtr<Poco::PatternFormatter> inner_;
};

}  // namespace ruche::http
