#pragma once

#include <stdexcept>
#include <string>

namespace ruche::config {

/// A bad or missing configuration key. what() is one line naming the key.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string key, const std::string& problem)
      : std::runtime_error("config: " + key + ": " + problem), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

}  // namespace ruche::config
