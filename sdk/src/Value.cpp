#include "ruche/sdk/Value.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <system_error>

namespace ruche::sdk {
namespace {

/// Deeper nesting is refused: a hostile body must not exhaust the stack.
constexpr int kMaxDepth = 64;

const Value& nullValue() {
  static const Value kNull;
  return kNull;
}

void appendEscaped(std::string& out, const std::string& text) {
  static const char* const kHex = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xF];
        } else {
          // UTF-8 sequences pass through untouched.
          out += c;
        }
    }
  }
  out += '"';
}

/// The shortest text that reads back as the same double, always with a '.'
/// or an exponent so that it reads back as a double and not an integer.
void appendDouble(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";  // JSON has no NaN or infinity
    return;
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), d);
  std::string text(buffer, ec == std::errc() ? end : buffer);
  if (text.find_first_of(".eE") == std::string::npos) {
    text += ".0";
  }
  out += text;
}

void appendJson(std::string& out, const Value& value) {
  if (value.isNull()) {
    out += "null";
  } else if (value.isBool()) {
    out += value.asBool() ? "true" : "false";
  } else if (value.isInt()) {
    out += std::to_string(value.asInt());
  } else if (value.isNumber()) {
    appendDouble(out, value.asDouble());
  } else if (value.isString()) {
    appendEscaped(out, value.asString());
  } else if (value.isArray()) {
    out += '[';
    bool first = true;
    for (const auto& item : value.asArray()) {
      if (!first) {
        out += ',';
      }
      first = false;
      appendJson(out, item);
    }
    out += ']';
  } else {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : value.asObject()) {
      if (!first) {
        out += ',';
      }
      first = false;
      appendEscaped(out, key);
      out += ':';
      appendJson(out, item);
    }
    out += '}';
  }
}

void appendUtf8(std::string& out, unsigned long codePoint) {
  if (codePoint < 0x80) {
    out += static_cast<char>(codePoint);
  } else if (codePoint < 0x800) {
    out += static_cast<char>(0xC0 | (codePoint >> 6));
    out += static_cast<char>(0x80 | (codePoint & 0x3F));
  } else if (codePoint < 0x10000) {
    out += static_cast<char>(0xE0 | (codePoint >> 12));
    out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (codePoint & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (codePoint >> 18));
    out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (codePoint & 0x3F));
  }
}

/// A strict recursive-descent parser of RFC 8259 JSON. Every error names the
/// byte offset where it was found, so a plugin author can find a typo.
class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  Value parseDocument() {
    skipWhitespace();
    Value value = parseValue(0);
    skipWhitespace();
    if (pos_ != text_.size()) {
      fail("unexpected text after the value");
    }
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw JsonError(message, pos_); }
  [[noreturn]] void failAt(const std::string& message, std::size_t offset) const { throw JsonError(message, offset); }

  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return atEnd() ? '\0' : text_[pos_]; }

  void skipWhitespace() {
    while (!atEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  void expectWord(const char* word) {
    std::size_t start = pos_;
    for (const char* c = word; *c != '\0'; ++c) {
      if (atEnd() || text_[pos_] != *c) {
        failAt("invalid literal", start);
      }
      ++pos_;
    }
  }

  Value parseValue(int depth) {
    if (atEnd()) {
      fail("unexpected end of text");
    }
    char c = text_[pos_];
    if (c == '{') {
      return parseObject(depth + 1);
    }
    if (c == '[') {
      return parseArray(depth + 1);
    }
    if (c == '"') {
      return Value(parseString());
    }
    if (c == 't') {
      expectWord("true");
      return Value(true);
    }
    if (c == 'f') {
      expectWord("false");
      return Value(false);
    }
    if (c == 'n') {
      expectWord("null");
      return Value();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return parseNumber();
    }
    fail("unexpected character");
  }

  Value parseObject(int depth) {
    if (depth > kMaxDepth) {
      fail("nesting deeper than 64 levels");
    }
    ++pos_;  // '{'
    Value::Object members;
    skipWhitespace();
    if (peek() == '}') {
      ++pos_;
      return Value(std::move(members));
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        fail("expected a member name in quotes");
      }
      std::size_t keyAt = pos_;
      std::string key = parseString();
      skipWhitespace();
      if (peek() != ':') {
        fail("expected ':'");
      }
      ++pos_;
      skipWhitespace();
      Value item = parseValue(depth);
      // Two values for one key would silently lose one: refuse it.
      if (!members.emplace(std::move(key), std::move(item)).second) {
        failAt("duplicate member name", keyAt);
      }
      skipWhitespace();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return Value(std::move(members));
      }
      fail(atEnd() ? "unexpected end of text" : "expected ',' or '}'");
    }
  }

  Value parseArray(int depth) {
    if (depth > kMaxDepth) {
      fail("nesting deeper than 64 levels");
    }
    ++pos_;  // '['
    Value::Array items;
    skipWhitespace();
    if (peek() == ']') {
      ++pos_;
      return Value(std::move(items));
    }
    while (true) {
      skipWhitespace();
      items.push_back(parseValue(depth));
      skipWhitespace();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return Value(std::move(items));
      }
      fail(atEnd() ? "unexpected end of text" : "expected ',' or ']'");
    }
  }

  unsigned parseHex4() {
    unsigned result = 0;
    for (int i = 0; i < 4; ++i) {
      if (atEnd()) {
        fail("unexpected end of text");
      }
      char c = text_[pos_];
      unsigned digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<unsigned>(c - 'A' + 10);
      } else {
        fail("invalid \\u escape");
      }
      result = result * 16 + digit;
      ++pos_;
    }
    return result;
  }

  /// After "\u": one code point, two escapes for a surrogate pair.
  void parseUnicodeEscape(std::string& out) {
    std::size_t escapeAt = pos_ - 2;
    unsigned long unit = parseHex4();
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      failAt("lone low surrogate", escapeAt);
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (pos_ + 1 >= text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') {
        failAt("high surrogate without its low surrogate", escapeAt);
      }
      pos_ += 2;
      unsigned long low = parseHex4();
      if (low < 0xDC00 || low > 0xDFFF) {
        failAt("high surrogate without its low surrogate", escapeAt);
      }
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(out, unit);
  }

  /// Copies one UTF-8 sequence, refusing invalid ones (overlong forms,
  /// surrogates, code points past U+10FFFF).
  void copyUtf8(std::string& out) {
    std::size_t start = pos_;
    auto lead = static_cast<unsigned char>(text_[pos_]);
    int length = 0;
    unsigned long codePoint = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      codePoint = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      codePoint = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      codePoint = lead & 0x07;
    } else {
      fail("invalid UTF-8");
    }
    if (start + static_cast<std::size_t>(length) > text_.size()) {
      fail("invalid UTF-8");
    }
    for (int i = 1; i < length; ++i) {
      auto next = static_cast<unsigned char>(text_[start + static_cast<std::size_t>(i)]);
      if ((next & 0xC0) != 0x80) {
        fail("invalid UTF-8");
      }
      codePoint = (codePoint << 6) | (next & 0x3F);
    }
    bool overlong = (length == 3 && codePoint < 0x800) || (length == 4 && codePoint < 0x10000);
    if (overlong || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
      fail("invalid UTF-8");
    }
    out.append(text_, start, static_cast<std::size_t>(length));
    pos_ += static_cast<std::size_t>(length);
  }

  std::string parseString() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (atEnd()) {
        fail("unterminated string");
      }
      auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) {
        fail("control character in a string");
      }
      if (c >= 0x80) {
        copyUtf8(out);
        continue;
      }
      if (c != '\\') {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (atEnd()) {
        fail("unterminated string");
      }
      char escape = text_[pos_++];
      switch (escape) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          parseUnicodeEscape(out);
          break;
        default:
          failAt("invalid escape", pos_ - 2);
      }
    }
  }

  bool digitAt(std::size_t at) const { return at < text_.size() && text_[at] >= '0' && text_[at] <= '9'; }

  Value parseNumber() {
    std::size_t start = pos_;
    bool integral = true;
    if (peek() == '-') {
      ++pos_;
    }
    if (!digitAt(pos_)) {
      fail("expected a digit");
    }
    if (text_[pos_] == '0') {
      ++pos_;
      if (digitAt(pos_)) {
        fail("leading zero in a number");
      }
    } else {
      while (digitAt(pos_)) {
        ++pos_;
      }
    }
    if (peek() == '.') {
      integral = false;
      ++pos_;
      if (!digitAt(pos_)) {
        fail("expected a digit after '.'");
      }
      while (digitAt(pos_)) {
        ++pos_;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++pos_;
      if (peek() == '+' || peek() == '-') {
        ++pos_;
      }
      if (!digitAt(pos_)) {
        fail("expected a digit in the exponent");
      }
      while (digitAt(pos_)) {
        ++pos_;
      }
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integral) {
      std::int64_t i = 0;
      auto [end, ec] = std::from_chars(first, last, i);
      if (ec == std::errc() && end == last) {
        return Value(static_cast<long long>(i));
      }
      // Too large for 64 bits: read it as a double, as JavaScript would.
    }
    double d = 0;
    auto [end, ec] = std::from_chars(first, last, d);
    if (ec != std::errc() || end != last) {
      failAt("number out of range", start);
    }
    return Value(d);
  }

  const std::string& text_;
  std::size_t pos_ = 0;
};

}  // namespace

bool Value::asBool() const {
  const bool* b = std::get_if<bool>(&v_);
  return b != nullptr && *b;
}

long long Value::asInt() const {
  if (const auto* i = std::get_if<std::int64_t>(&v_)) {
    return *i;
  }
  if (const auto* d = std::get_if<double>(&v_)) {
    // Truncated toward zero; 0 when it does not fit.
    if (std::isfinite(*d) && *d >= -9223372036854775808.0 && *d < 9223372036854775808.0) {
      return static_cast<long long>(*d);
    }
  }
  if (const auto* s = std::get_if<std::string>(&v_)) {
    // Text that is exactly an integer: what SQLite gives for COUNT(*) and
    // other expressions without a declared type.
    long long parsed = 0;
    auto [end, error] = std::from_chars(s->data(), s->data() + s->size(), parsed);
    if (error == std::errc() && end == s->data() + s->size() && !s->empty()) {
      return parsed;
    }
  }
  return 0;
}

double Value::asDouble() const {
  if (const auto* d = std::get_if<double>(&v_)) {
    return *d;
  }
  if (const auto* i = std::get_if<std::int64_t>(&v_)) {
    return static_cast<double>(*i);
  }
  if (const auto* s = std::get_if<std::string>(&v_)) {
    char* end = nullptr;
    double parsed = std::strtod(s->c_str(), &end);
    if (!s->empty() && end == s->c_str() + s->size() && std::isfinite(parsed)) {
      return parsed;
    }
  }
  return 0.0;
}

std::string Value::asString() const {
  if (const auto* s = std::get_if<std::string>(&v_)) {
    return *s;
  }
  if (isBool() || isNumber()) {
    return toJson();
  }
  return {};
}

const Value::Array& Value::asArray() const {
  static const Array kEmpty;
  const auto* a = std::get_if<Array>(&v_);
  return a != nullptr ? *a : kEmpty;
}

const Value::Object& Value::asObject() const {
  static const Object kEmpty;
  const auto* o = std::get_if<Object>(&v_);
  return o != nullptr ? *o : kEmpty;
}

const Value& Value::operator[](const std::string& key) const {
  if (const auto* o = std::get_if<Object>(&v_)) {
    auto found = o->find(key);
    if (found != o->end()) {
      return found->second;
    }
  }
  return nullValue();
}

const Value& Value::at(const std::string& key) const {
  if (const auto* o = std::get_if<Object>(&v_)) {
    auto found = o->find(key);
    if (found != o->end()) {
      return found->second;
    }
  }
  throw std::out_of_range("no member \"" + key + "\"");
}

bool Value::has(const std::string& key) const {
  const auto* o = std::get_if<Object>(&v_);
  return o != nullptr && o->count(key) != 0;
}

Value& Value::set(const std::string& key, Value value) {
  if (isNull()) {
    v_ = Object();
  }
  auto* o = std::get_if<Object>(&v_);
  if (o == nullptr) {
    throw std::logic_error("Value::set(\"" + key + "\") on a value that is not an object");
  }
  (*o)[key] = std::move(value);
  return *this;
}

Value& Value::push(Value value) {
  if (isNull()) {
    v_ = Array();
  }
  auto* a = std::get_if<Array>(&v_);
  if (a == nullptr) {
    throw std::logic_error("Value::push() on a value that is not an array");
  }
  a->push_back(std::move(value));
  return *this;
}

std::size_t Value::size() const {
  if (const auto* a = std::get_if<Array>(&v_)) {
    return a->size();
  }
  if (const auto* o = std::get_if<Object>(&v_)) {
    return o->size();
  }
  return 0;
}

std::string Value::toJson() const {
  std::string out;
  appendJson(out, *this);
  return out;
}

Value Value::parseJson(const std::string& text) {
  return Parser(text).parseDocument();
}

}  // namespace ruche::sdk
