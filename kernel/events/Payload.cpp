#include "kernel/events/Payload.h"

#include <sstream>

namespace ruche::events {

Payload& Payload::set(const std::string& key, long long value) {
  object_.set(key, value);
  return *this;
}

Payload& Payload::set(const std::string& key, const std::string& value) {
  object_.set(key, value);
  return *this;
}

std::string Payload::json() const {
  std::ostringstream out;
  object_.stringify(out);
  return out.str();
}

}  // namespace ruche::events
