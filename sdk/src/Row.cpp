#include "ruche/sdk/Database.h"

namespace ruche::sdk {

const Value& Row::operator[](const std::string& column) const {
  // A row has a handful of columns: a linear search beats building a map.
  for (std::size_t i = 0; i < columns_.size() && i < values_.size(); ++i) {
    if (columns_[i] == column) {
      return values_[i];
    }
  }
  static const Value kNull;
  return kNull;
}

Value Row::toValue() const {
  Value::Object object;
  for (std::size_t i = 0; i < columns_.size() && i < values_.size(); ++i) {
    object.emplace(columns_[i], values_[i]);
  }
  return Value(std::move(object));
}

}  // namespace ruche::sdk
