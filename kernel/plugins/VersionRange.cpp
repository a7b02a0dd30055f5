#include "kernel/plugins/VersionRange.h"

#include <charconv>
#include <sstream>
#include <stdexcept>

namespace ruche::plugins {
namespace {

std::optional<int> number(const std::string& part) {
  if (part.empty() || part.size() > 6 || (part.size() > 1 && part[0] == '0')) {
    return std::nullopt;
  }
  int value = 0;
  auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
  if (error != std::errc() || end != part.data() + part.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<SemVer> SemVer::parse(const std::string& text, bool partial) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == '.') {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  if (parts.size() > 3 || (!partial && parts.size() != 3)) {
    return std::nullopt;
  }
  int values[3] = {0, 0, 0};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto value = number(parts[i]);
    if (!value) {
      return std::nullopt;
    }
    values[i] = *value;
  }
  return SemVer{values[0], values[1], values[2]};
}

std::string SemVer::toString() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

VersionRange VersionRange::parse(const std::string& text) {
  VersionRange range;
  range.text_ = text;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    std::string op;
    for (const char* candidate : {">=", "<=", ">", "<", "="}) {
      if (word.rfind(candidate, 0) == 0) {
        op = candidate;
        break;
      }
    }
    std::string versionText = word.substr(op.size());
    auto version = SemVer::parse(versionText, true);
    if (!version) {
      throw std::invalid_argument("\"" + word + "\" is not a comparator such as \">=1.0\" or \"<2\"");
    }
    range.comparators_.push_back({op.empty() ? "=" : op, *version});
  }
  if (range.comparators_.empty()) {
    throw std::invalid_argument("the range is empty (expected e.g. \">=1.0 <2\")");
  }
  return range;
}

bool VersionRange::contains(const SemVer& version) const {
  for (const auto& c : comparators_) {
    bool holds = (c.op == ">=")   ? version >= c.version
                 : (c.op == ">")  ? version > c.version
                 : (c.op == "<=") ? version <= c.version
                 : (c.op == "<")  ? version < c.version
                                  : version == c.version;
    if (!holds) {
      return false;
    }
  }
  return true;
}

}  // namespace ruche::plugins
