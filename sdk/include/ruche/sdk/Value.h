#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ruche::sdk {

/// A JSON value: what plugins exchange with the kernel as template data,
/// event payloads, settings, API bodies and their part of a data export.
///
/// Objects keep their keys sorted (std::map), so a Value prints the same way
/// every time. Reading a missing key or the wrong type never throws: it gives
/// null, "" , 0 or false, as templates expect; `at()` is the strict form.
class Value {
 public:
  using Array = std::vector<Value>;
  using Object = std::map<std::string, Value>;

  Value() = default;  ///< null
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int i) : v_(static_cast<std::int64_t>(i)) {}
  Value(long i) : v_(static_cast<std::int64_t>(i)) {}
  Value(long long i) : v_(static_cast<std::int64_t>(i)) {}
  Value(double d) : v_(d) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}
  /// An object from pairs: Value::object({{"name", "Ana"}, {"age", 30}}).
  static Value object(std::initializer_list<std::pair<const std::string, Value>> items = {}) {
    return Value(Object(items));
  }
  static Value array(std::initializer_list<Value> items = {}) { return Value(Array(items)); }

  bool isNull() const { return std::holds_alternative<std::monostate>(v_); }
  bool isBool() const { return std::holds_alternative<bool>(v_); }
  bool isInt() const { return std::holds_alternative<std::int64_t>(v_); }
  bool isNumber() const { return isInt() || std::holds_alternative<double>(v_); }
  bool isString() const { return std::holds_alternative<std::string>(v_); }
  bool isArray() const { return std::holds_alternative<Array>(v_); }
  bool isObject() const { return std::holds_alternative<Object>(v_); }

  /// Lenient readers: the value, or a neutral one when the type differs.
  /// asInt and asDouble also read text that is exactly a number (SQLite
  /// gives COUNT(*) and other untyped expressions as text).
  bool asBool() const;
  long long asInt() const;
  double asDouble() const;
  std::string asString() const;  ///< numbers and booleans are printed; null is ""
  const Array& asArray() const;
  const Object& asObject() const;

  /// Object member, or null when absent (or not an object).
  const Value& operator[](const std::string& key) const;
  /// Strict member access: throws std::out_of_range naming the key.
  const Value& at(const std::string& key) const;
  bool has(const std::string& key) const;
  /// Sets a member, turning a null into an object first.
  Value& set(const std::string& key, Value value);
  /// Appends, turning a null into an array first.
  Value& push(Value value);
  std::size_t size() const;  ///< members or elements; 0 for scalars

  /// Compact JSON text (UTF-8 passed through, control characters escaped).
  std::string toJson() const;
  /// Parses JSON text. Throws JsonError with the byte offset of the problem.
  static Value parseJson(const std::string& text);

  bool operator==(const Value& other) const { return v_ == other.v_; }

 private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object> v_;
};

/// Malformed JSON: `offset` is where the parser stopped.
class JsonError : public std::runtime_error {
 public:
  JsonError(const std::string& message, std::size_t offset)
      : std::runtime_error(message + " at offset " + std::to_string(offset)), offset_(offset) {}
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

}  // namespace ruche::sdk
