#pragma once

#include <string>

namespace ruche::sdk {

/// The kernel's log, with every line prefixed by the plugin's name (and the
/// request id when there is one), so an admin knows who wrote it.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void debug(const std::string& message) = 0;
  virtual void info(const std::string& message) = 0;
  virtual void warning(const std::string& message) = 0;
  virtual void error(const std::string& message) = 0;
};

}  // namespace ruche::sdk
