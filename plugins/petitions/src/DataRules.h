#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "Email.h"
#include "Rules.h"

namespace petitions {

/// A link token that names its signature: "<selector>.<secret>", the
/// selector being the signature's id hidden by LinkIds, as 16 hex digits.
/// The first mail's links (confirmation, withdrawal) are found by the
/// primary key, the row keeping the secret's hash: signing in a burst then
/// writes no link row and no token index entry (migrations 007 and 008).
inline std::string rowToken(std::uint64_t selector, const std::string& secret) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(selector));
  return std::string(hex) + "." + secret;
}

/// The selector and secret of a rowToken.
struct RowToken {
  std::uint64_t selector = 0;
  std::string secret;
};

/// A rowToken taken apart; nothing for any other text (the tokens of
/// petitions_links, and confirmation links mailed before migration 007,
/// are base64url: no '.').
inline std::optional<RowToken> parseRowToken(const std::string& token) {
  constexpr std::size_t kDigits = 16;
  if (token.size() < kDigits + 2 || token[kDigits] != '.') {
    return std::nullopt;
  }
  std::uint64_t selector = 0;
  for (std::size_t i = 0; i < kDigits; ++i) {
    char c = token[i];
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) {
      return std::nullopt;
    }
    selector = (selector << 4) | static_cast<std::uint64_t>(digit);
  }
  return RowToken{selector, token.substr(kDigits + 1)};
}

/// How many update mails are queued in one go (the request that writes the
/// update, then each run of the send_updates job).
inline constexpr int kUpdateBatch = 200;

/// Whether a country, as a signer typed it, is France ("" counts as France:
/// a petition that asks no country is about France).
inline bool isFrance(const std::string& country) {
  std::string key = asciiLower(trim(country));
  return key.empty() || key == "france" || key == "fr" || key == "fra";
}

/// The postcode area of the delivery report: the first two digits of a
/// French postcode (5 digits, spaces ignored), "other" for anything else
/// (another country, an empty or malformed postcode).
inline std::string postcodeArea(const std::string& postcode, const std::string& country) {
  std::string digits;
  for (char c : postcode) {
    if (c != ' ') {
      digits += c;
    }
  }
  if (!isFrance(country) || digits.size() != 5 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "other";
  }
  return digits.substr(0, 2);
}

/// One line of the report: a label and its count.
using ReportLine = std::pair<std::string, long long>;

/// The delivery report's two tables.
struct ReportCounts {
  std::vector<ReportLine> areas;      ///< "75", "93"… ascending, then "other"
  std::vector<ReportLine> countries;  ///< most signatures first; "" = not given
};

/// Counts (postcode, country) pairs of confirmed signatures by postcode
/// area and by country. Countries are compared trimmed and case-blind and
/// shown as first typed.
inline ReportCounts aggregateReport(const std::vector<std::pair<std::string, std::string>>& signatures) {
  std::map<std::string, long long> areas;
  std::map<std::string, std::pair<std::string, long long>> countries;  // key → (label, n)
  for (const auto& [postcode, country] : signatures) {
    ++areas[postcodeArea(postcode, country)];
    std::string label = trim(country);
    auto& entry = countries[asciiLower(label)];
    if (entry.second == 0) {
      entry.first = label;
    }
    ++entry.second;
  }
  ReportCounts report;
  for (const auto& [area, n] : areas) {
    if (area != "other") {
      report.areas.emplace_back(area, n);
    }
  }
  if (auto other = areas.find("other"); other != areas.end()) {
    report.areas.emplace_back("other", other->second);
  }
  for (const auto& [key, entry] : countries) {
    report.countries.push_back(entry);
  }
  std::stable_sort(report.countries.begin(), report.countries.end(),
                   [](const ReportLine& a, const ReportLine& b) { return a.second > b.second; });
  return report;
}

/// The day `months` calendar months after `day` (YYYY-MM-DD), the day of
/// the month clamped to the month's last (2024-08-31 + 6 → 2025-02-28).
inline std::string addMonths(const std::string& day, int months) {
  int year = std::stoi(day.substr(0, 4));
  int month = std::stoi(day.substr(5, 2));
  int date = std::stoi(day.substr(8, 2));
  int total = year * 12 + (month - 1) + months;
  year = total / 12;
  month = total % 12 + 1;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int last = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, std::min(date, last));
  return buffer;
}

/// Whether signers' data of a petition closed at `closedAt` (epoch seconds)
/// is due for erasure on `today` (YYYY-MM-DD): `months` months have passed.
inline bool erasureDue(long long closedAt, int months, const std::string& today) {
  return addMonths(dayOf(closedAt), months) <= today;
}

/// Seconds since the epoch at 00:00 UTC of a YYYY-MM-DD day (Howard
/// Hinnant's days_from_civil): when a petition whose deadline was the day
/// before stopped taking signatures.
inline long long startOfDay(const std::string& day) {
  long long y = std::stoi(day.substr(0, 4));
  long long m = std::stoi(day.substr(5, 2));
  long long d = std::stoi(day.substr(8, 2));
  y -= m <= 2 ? 1 : 0;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (era * 146097 + doe - 719468) * 86400;
}

}  // namespace petitions
