#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace ruche::events {

/// An event's JSON payload built field by field, so publishers never
/// assemble JSON by hand: `Payload().set("mission_id", id).json()`.
class Payload {
 public:
  Payload& set(const std::string& key, long long value);
  Payload& set(const std::string& key, const std::string& value);
  /// The object as compact JSON text.
  std::string json() const;

 private:
  Poco::JSON::Object object_;
};

}  // namespace ruche::events
