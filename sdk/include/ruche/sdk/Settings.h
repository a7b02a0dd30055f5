#pragma once

#include <string>

#include "ruche/sdk/Value.h"

namespace ruche::sdk {

/// One association's values for the settings the plugin declares in its
/// manifest ("settings": [...]). Values have already passed the schema when
/// the admin saved them; a key never saved reads its default.
class Settings {
 public:
  virtual ~Settings() = default;
  /// The value (string, integer, boolean or list of strings, per its type).
  virtual Value get(const std::string& key) const = 0;
  std::string text(const std::string& key) const { return get(key).asString(); }
  long long integer(const std::string& key) const { return get(key).asInt(); }
  bool flag(const std::string& key) const { return get(key).asBool(); }
};

}  // namespace ruche::sdk
