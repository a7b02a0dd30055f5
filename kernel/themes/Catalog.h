#pragma once

#include <kainjow/mustache.hpp>

#include <map>
#include <string>
#include <vector>

namespace ruche::themes {

/// Message catalogues, French first then English, loaded from
/// `<theme>/locales/<lang>.json` (a flat object: key → text). A plural
/// message has one key per ICU plural category used (`key.one`, `key.other`,
/// optionally `key.many`…), with "{n}" in the text.
class Catalog {
 public:
  static const std::vector<std::string>& supportedLocales();  ///< {"fr", "en"}

  /// Throws std::runtime_error naming the file and problem on bad JSON.
  void loadFolder(const std::string& folder);

  /// The text for `key`; falls back to French, then to the key itself.
  std::string text(const std::string& locale, const std::string& key) const;
  /// Plural form for `n` by ICU's rules (French: "one" for 0 and 1, English:
  /// for 1 only); a form the catalogue lacks falls back to `.other`. "{n}" is
  /// written with the locale's digit grouping.
  std::string plural(const std::string& locale, const std::string& key, long long n) const;

  /// All texts of a locale as a Mustache object, built once, for `{{t.key}}`.
  const kainjow::mustache::data& asData(const std::string& locale) const;

  /// Keys present in one locale and missing in another (checked by a test).
  std::vector<std::string> missingKeys(const std::string& locale, const std::string& reference) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> messages_;
  std::map<std::string, kainjow::mustache::data> data_;
};

/// The supported language an Accept-Language header prefers most (by
/// q-value), or "" when it names none.
std::string acceptedLocale(const std::string& acceptLanguage);

/// Picks the visitor's locale: explicit choice, then Accept-Language, then fr.
std::string negotiateLocale(const std::string& explicitChoice, const std::string& acceptLanguage);

}  // namespace ruche::themes
