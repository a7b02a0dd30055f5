#include "kernel/themes/LocalFormat.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/gregocal.h>
#include <unicode/numfmt.h>
#include <unicode/plurrule.h>
#include <unicode/timezone.h>

namespace ruche::themes {
namespace {

std::string utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

icu::Locale icuLocale(const std::string& locale) {
  return icu::Locale(locale == "en" ? "en" : "fr");
}

/// PluralRules::select is const and thread-safe; one object per language.
const icu::PluralRules& rulesFor(const std::string& locale) {
  static const auto make = [](const char* name) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::PluralRules> rules(icu::PluralRules::forLocale(icu::Locale(name), status));
    if (U_FAILURE(status) || !rules) {
      throw std::runtime_error(std::string("ICU has no plural rules for ") + name);
    }
    return rules;
  };
  static const std::unique_ptr<icu::PluralRules> fr = make("fr");
  static const std::unique_ptr<icu::PluralRules> en = make("en");
  return locale == "en" ? *en : *fr;
}

std::unique_ptr<icu::TimeZone> zoneOf(const std::string& timeZone) {
  if (!http::isKnownTimeZone(timeZone)) {
    return std::unique_ptr<icu::TimeZone>(icu::TimeZone::getGMT()->clone());
  }
  return std::unique_ptr<icu::TimeZone>(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timeZone)));
}

// ICU formatters are not safe to share between threads and costly to build:
// one of each kind per thread and language, kept for the thread's life
// (the server's threads are long-lived).
enum class DateStyle { DateTime, Date };

icu::DateFormat* dateFormat(DateStyle style, const std::string& locale) {
  thread_local std::unique_ptr<icu::DateFormat> cache[2][2];
  auto& slot = cache[style == DateStyle::Date ? 1 : 0][locale == "en" ? 1 : 0];
  if (!slot) {
    slot.reset(style == DateStyle::Date
                   ? icu::DateFormat::createDateInstance(icu::DateFormat::kMedium, icuLocale(locale))
                   : icu::DateFormat::createDateTimeInstance(icu::DateFormat::kMedium, icu::DateFormat::kShort,
                                                             icuLocale(locale)));
  }
  return slot.get();
}

std::string formatWith(DateStyle style, long long epochSeconds, const std::string& locale,
                       const std::string& timeZone) {
  icu::DateFormat* format = dateFormat(style, locale);
  if (format == nullptr) {
    return std::to_string(epochSeconds);
  }
  format->adoptTimeZone(zoneOf(timeZone).release());
  icu::UnicodeString out;
  format->format(static_cast<UDate>(epochSeconds) * 1000.0, out);
  return utf8(out);
}

icu::NumberFormat* numberFormat(const std::string& locale) {
  thread_local std::unique_ptr<icu::NumberFormat> cache[2];
  auto& slot = cache[locale == "en" ? 1 : 0];
  if (!slot) {
    UErrorCode status = U_ZERO_ERROR;
    slot.reset(icu::NumberFormat::createInstance(icuLocale(locale), status));
    if (U_FAILURE(status)) {
      slot.reset();
    }
  }
  return slot.get();
}

}  // namespace

std::string pluralCategory(const std::string& locale, long long n) {
  return utf8(rulesFor(locale).select(static_cast<int32_t>(std::clamp<long long>(n, INT32_MIN, INT32_MAX))));
}

std::string formatDateTime(long long epochSeconds, const std::string& locale, const std::string& timeZone) {
  return formatWith(DateStyle::DateTime, epochSeconds, locale, timeZone);
}

std::string formatDate(long long epochSeconds, const std::string& locale, const std::string& timeZone) {
  return formatWith(DateStyle::Date, epochSeconds, locale, timeZone);
}

std::string formatNumber(double value, const std::string& locale, int maxFractionDigits) {
  icu::NumberFormat* format = numberFormat(locale);
  if (format == nullptr) {
    return std::to_string(value);
  }
  format->setMaximumFractionDigits(maxFractionDigits);
  icu::UnicodeString out;
  format->format(value, out);
  return utf8(out);
}

std::string monthOf(long long epochSeconds, const std::string& timeZone) {
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar calendar(zoneOf(timeZone).release(), status);
  calendar.setTime(static_cast<UDate>(epochSeconds) * 1000.0, status);
  int year = calendar.get(UCAL_YEAR, status);
  int month = calendar.get(UCAL_MONTH, status) + 1;
  if (U_FAILURE(status)) {
    return "";
  }
  std::string mm = std::to_string(month);
  return std::to_string(year) + "-" + (mm.size() == 1 ? "0" + mm : mm);
}

}  // namespace ruche::themes
