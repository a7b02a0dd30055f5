#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace petitions {

/// How many counter rows each petition has: a confirmation adds 1 to one of
/// them, picked at random, so concurrent confirmations rarely wait for the
/// same row; the public count is their sum.
inline constexpr int kCounterShards = 16;

/// The per-IP signing window, in seconds; the limit itself is the ip_limit
/// setting. Older attempts are forgotten (the forget_ip_hits job).
inline constexpr long long kIpWindowSeconds = 600;

/// The shard for a random number (any 64-bit value): in [0, shards).
inline int pickShard(std::uint64_t random, int shards = kCounterShards) {
  return shards <= 1 ? 0 : static_cast<int>(random % static_cast<std::uint64_t>(shards));
}

/// Characters of UTF-8 text (continuation bytes not counted): what length
/// limits are about, so "é" counts once.
inline std::size_t characters(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

/// Whether a token that expires at `expiresAt` is expired at `now` (both
/// seconds since the epoch). The last second is still valid.
inline bool tokenExpired(long long expiresAt, long long now) {
  return now > expiresAt;
}

/// Whether `text` is a real calendar day written YYYY-MM-DD (years 2000 to
/// 2999, leap years counted).
inline bool validDay(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  for (std::size_t i : {0U, 1U, 2U, 3U, 5U, 6U, 8U, 9U}) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  int year = std::stoi(text.substr(0, 4));
  int month = std::stoi(text.substr(5, 2));
  int day = std::stoi(text.substr(8, 2));
  if (year < 2000 || year > 2999 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int last = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= last;
}

/// The UTC day of an epoch second, as YYYY-MM-DD (Howard Hinnant's
/// civil_from_days).
inline std::string dayOf(long long epochSeconds) {
  long long days = epochSeconds >= 0 ? epochSeconds / 86400 : (epochSeconds - 86399) / 86400;
  days += 719468;
  long long era = (days >= 0 ? days : days - 146096) / 146097;
  long long doe = days - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = yoe + era * 400;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  long long d = doy - (153 * mp + 2) / 5 + 1;
  long long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) {
    ++y;
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lld", y, m, d);
  return buffer;
}

/// Whether a petition takes signatures: open, and its deadline (a day,
/// included; "" for none) not past on `today` (YYYY-MM-DD, both compared as
/// text, which orders days).
inline bool acceptsSignatures(const std::string& status, const std::string& deadline, const std::string& today) {
  return status == "open" && (deadline.empty() || today <= deadline);
}

/// The paragraphs of plain text: split on blank lines (a line of spaces
/// counts as blank), each paragraph's inner line breaks kept, empty ones
/// dropped. For plain text (an update's body, and the petition view's
/// `paragraphs`); the page renders the petition's Markdown (Markdown.h).
inline std::vector<std::string> paragraphs(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  std::size_t start = 0;
  auto flush = [&] {
    if (!current.empty()) {
      out.push_back(current);
      current.clear();
    }
  };
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.find_first_not_of(" \t") == std::string::npos) {
      flush();
    } else {
      current += current.empty() ? line : "\n" + line;
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  flush();
  return out;
}

}  // namespace petitions
