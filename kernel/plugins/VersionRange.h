#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ruche::plugins {

/// MAJOR.MINOR.PATCH, compared part by part.
struct SemVer {
  int major = 0;
  int minor = 0;
  int patch = 0;
  /// Strict "1.2.3" when `partial` is false; "1" and "1.2" too when true
  /// (missing parts are 0). Pre-release suffixes are not accepted.
  static std::optional<SemVer> parse(const std::string& text, bool partial = false);
  std::string toString() const;
  auto operator<=>(const SemVer&) const = default;
};

/// A set of versions: comparators separated by spaces, all of which must
/// hold (">=1.0 <2"); a bare version means exactly that one.
class VersionRange {
 public:
  /// Throws std::invalid_argument with what is wrong in `text`.
  static VersionRange parse(const std::string& text);
  bool contains(const SemVer& version) const;
  const std::string& text() const { return text_; }

 private:
  struct Comparator {
    std::string op;  ///< ">=", ">", "<=", "<", "="
    SemVer version;
  };
  std::vector<Comparator> comparators_;
  std::string text_;
};

}  // namespace ruche::plugins
