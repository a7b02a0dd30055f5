#pragma once

#include <stdexcept>
#include <string>
#include <vector>

/// PostgreSQL array literals, so that a batch binds each column once
/// (`unnest(CAST(? AS TEXT[]))`) rather than one parameter per row and
/// column: for 200 signatures that was 2,600 parameters, each bound, named
/// and converted on its own (a tenth of the server's CPU in a burst), and
/// a statement PostgreSQL parsed anew for every batch size.
namespace petitions {

/// {"a","b \"c\""}: each element quoted, its backslashes and quotes escaped
/// (PostgreSQL's array input syntax), so commas, braces and spaces stay text.
/// Throws std::invalid_argument for a NUL byte, which no PostgreSQL text
/// holds (and which would cut the literal short): the fields are checked
/// for it before.
inline std::string textArray(const std::vector<std::string>& items) {
  std::string literal = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].find('\0') != std::string::npos) {
      throw std::invalid_argument("a NUL byte in a text array element");
    }
    literal += i == 0 ? "\"" : ",\"";
    for (char c : items[i]) {
      if (c == '"' || c == '\\') {
        literal += '\\';
      }
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

/// {1,2,3}
inline std::string integerArray(const std::vector<long long>& items) {
  std::string literal = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    literal += (i == 0 ? "" : ",") + std::to_string(items[i]);
  }
  literal += '}';
  return literal;
}

}  // namespace petitions
