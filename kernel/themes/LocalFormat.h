#pragma once

#include <string>
#include <vector>

#include "kernel/http/TimeZones.h"

/// Locale-aware formatting from ICU: plural categories, dates and times in a
/// person's time zone, numbers. Shared, read-only ICU objects built once.
namespace ruche::themes {

/// The default time zone of the federation (and of a new account).
inline constexpr const char* kDefaultTimeZone = "Europe/Paris";

/// ICU's plural category of `n` in `locale` ("one", "other", "many"…):
/// French says "one" for 0 and 1, English for 1 only.
std::string pluralCategory(const std::string& locale, long long n);

/// Date and time of `epochSeconds` in `locale`'s medium style, in `timeZone`
/// (an IANA id such as "Europe/Paris"; an unknown id shows UTC).
std::string formatDateTime(long long epochSeconds, const std::string& locale, const std::string& timeZone);
/// Date only, medium style, in `timeZone`.
std::string formatDate(long long epochSeconds, const std::string& locale, const std::string& timeZone);
/// A whole or decimal number with `locale`'s separators ("1 234,5" / "1,234.5").
std::string formatNumber(double value, const std::string& locale, int maxFractionDigits = 1);
/// "YYYY-MM" of `epochSeconds` as seen in `timeZone` (for monthly series).
std::string monthOf(long long epochSeconds, const std::string& timeZone);

}  // namespace ruche::themes
