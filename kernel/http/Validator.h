#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/http/HttpError.h"

namespace ruche::http {

/// Collects every problem of one form or JSON body, then throws them all at
/// once (422), so the person sees every field to fix in one go.
class Validator {
 public:
  /// Trimmed text of `min`..`max` characters (UTF-8 code points).
  std::string text(const std::string& field, const std::string& value, std::size_t min, std::size_t max);
  /// Optional text: empty is fine, otherwise at most `max` characters.
  std::string optionalText(const std::string& field, const std::string& value, std::size_t max) {
    return text(field, value, 0, max);
  }
  /// Lower-cased, trimmed address of a plausible shape.
  std::string email(const std::string& field, const std::string& value);
  std::string password(const std::string& field, const std::string& value);
  std::optional<long long> integer(const std::string& field, const std::string& value, long long min, long long max,
                                   bool required = true);
  std::string oneOf(const std::string& field, const std::string& value, const std::vector<std::string>& allowed);
  /// A calendar day YYYY-MM-DD that exists; empty allowed when not required.
  std::string date(const std::string& field, const std::string& value, bool required);
  /// An IANA time zone name such as Europe/Paris (checked against ICU's zones).
  std::string timeZone(const std::string& field, const std::string& value);
  /// An ISO 639-1 language code (two lower-case letters).
  std::string language(const std::string& field, const std::string& value);
  /// A slug: 2–40 of a-z, 0-9 and '-'.
  std::string slug(const std::string& field, const std::string& value);

  void add(const std::string& field, const std::string& code, const std::string& message);
  bool ok() const { return errors_.empty(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  /// Throws 422 with every collected error, if any.
  void check() const;

 private:
  std::vector<FieldError> errors_;
};

/// Number of UTF-8 code points; invalid UTF-8 counts as -1.
long long utf8Length(const std::string& text);

}  // namespace ruche::http
