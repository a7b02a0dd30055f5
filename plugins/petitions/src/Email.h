#pragma once

#include <cctype>
#include <optional>
#include <string>

namespace petitions {

/// An e-mail address as a signer typed it, made comparable.
struct NormalisedEmail {
  /// What mail is sent to: trimmed, the domain lower-cased, the local part
  /// kept as typed (RFC 5321 lets a server tell "Ana" from "ana").
  std::string address;
  /// What "one signature per e-mail" compares: the whole address lower-cased,
  /// since in practice no provider hands "Ana@" and "ana@" to two people.
  /// Dots and "+tags" are kept: "a.na@gmail.com" is another key than
  /// "ana@gmail.com" (removing them is provider-specific guesswork).
  std::string key;
};

/// ASCII lower case; other bytes (UTF-8) unchanged.
inline std::string asciiLower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

/// Spaces, tabs and line breaks removed at both ends.
inline std::string trim(const std::string& text) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && blank(text[begin])) {
    ++begin;
  }
  while (end > begin && blank(text[end - 1])) {
    --end;
  }
  return text.substr(begin, end - begin);
}

/// The normalised address, or nothing when it is not a plausible address:
/// one "@", a local part of 1 to 64 printable ASCII characters without
/// spaces or quotes, a domain of labels [A-Za-z0-9-] separated by dots
/// (at least two labels, none empty, none starting or ending with "-"),
/// at most 254 characters in all.
inline std::optional<NormalisedEmail> normaliseEmail(const std::string& input) {
  std::string email = trim(input);
  std::size_t at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || email.find('@', at + 1) != std::string::npos) {
    return std::nullopt;
  }
  std::string local = email.substr(0, at);
  std::string domain = asciiLower(email.substr(at + 1));
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.') {
    return std::nullopt;
  }
  for (char c : local) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' ||
        c == '<' || c == '>' || c == '[' || c == ']' || c == '\\') {
      return std::nullopt;
    }
  }
  if (local.find("..") != std::string::npos) {
    return std::nullopt;
  }
  std::size_t labels = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = domain.find('.', start);
    std::string label = domain.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return std::nullopt;
    }
    for (char c : label) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-')) {
        return std::nullopt;
      }
    }
    ++labels;
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  if (labels < 2) {
    return std::nullopt;
  }
  std::string address = local + "@" + domain;
  return NormalisedEmail{address, asciiLower(address)};
}

}  // namespace petitions
