#include "Rules.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>

namespace matching::rules {
namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
long long daysFromCivil(long long y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

std::string lowered(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

// A word's weekday (0 = Monday), or -1. Accents are kept out of the
// prefixes so "mercredi" and "mercredis" both match "mercr".
int weekdayOf(const std::string& word) {
  static const std::vector<std::pair<std::string, int>> prefixes = {
      {"lundi", 0},    {"mardi", 1},  {"mercredi", 2}, {"jeudi", 3},     {"vendredi", 4}, {"samedi", 5},
      {"dimanche", 6}, {"monday", 0}, {"tuesday", 1},  {"wednesday", 2}, {"thursday", 3}, {"friday", 4},
      {"saturday", 5}, {"sunday", 6}, {"lun", 0},      {"mar", 1},       {"mer", 2},      {"jeu", 3},
      {"ven", 4},      {"sam", 5},    {"dim", 6},      {"mon", 0},       {"tue", 1},      {"wed", 2},
      {"thu", 3},      {"fri", 4},    {"sat", 5},      {"sun", 6}};
  for (const auto& [name, day] : prefixes) {
    // The full name (maybe plural) or exactly the short form.
    if (word == name || word == name + "s" ||
        (name.size() > 3 && word.rfind(name, 0) == 0 && word.size() <= name.size() + 1)) {
      return day;
    }
  }
  return -1;
}

// Reads a clock at `i` ("18h", "18h30", "18:30", "18"): minutes, or -1.
int readClock(const std::string& s, std::size_t& i) {
  std::size_t start = i;
  int hours = 0;
  int digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0 && digits < 2) {
    hours = hours * 10 + (s[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0 || hours > 24) {
    i = start;
    return -1;
  }
  int minutes = 0;
  if (i < s.size() && (s[i] == 'h' || s[i] == ':')) {
    ++i;
    int mdigits = 0;
    int value = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0 && mdigits < 2) {
      value = value * 10 + (s[i] - '0');
      ++i;
      ++mdigits;
    }
    if (mdigits == 2 && value < 60) {
      minutes = value;
    }
  }
  return hours * 60 + minutes;
}

}  // namespace

int languageId(const std::string& code) {
  if (code.size() != 2 || code[0] < 'a' || code[0] > 'z' || code[1] < 'a' || code[1] > 'z') {
    return 0;
  }
  return (code[0] - 'a' + 1) * 32 + (code[1] - 'a' + 1);
}

std::string languageCode(int id) {
  if (id <= 0) {
    return "";
  }
  int first = id / 32;
  int second = id % 32;
  if (first < 1 || first > 26 || second < 1 || second > 26) {
    return "";
  }
  return std::string{static_cast<char>('a' + first - 1), static_cast<char>('a' + second - 1)};
}

int languageLevel(const std::string& level) {
  static const std::map<std::string, int> levels = {{"basic", 1}, {"conversational", 2}, {"fluent", 4}, {"native", 5}};
  auto it = levels.find(level);
  return it == levels.end() ? 0 : it->second;
}

long long dayStart(const std::string& day) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (day.size() != 10 || std::sscanf(day.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
      d > 31) {
    return 0;
  }
  return daysFromCivil(y, m, d) * 86400;
}

std::string dayOf(long long epochSeconds) {
  std::time_t t = static_cast<std::time_t>(epochSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buffer;
}

WeekMask parseSchedule(const std::string& text, int utcOffsetMinutes) {
  std::string s = lowered(text);
  std::vector<int> days;
  std::vector<std::pair<int, int>> ranges;
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isalpha(c) != 0) {
      std::size_t start = i;
      while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])) != 0) {
        ++i;
      }
      int day = weekdayOf(s.substr(start, i - start));
      if (day >= 0 && std::find(days.begin(), days.end(), day) == days.end()) {
        days.push_back(day);
      }
    } else if (std::isdigit(c) != 0) {
      int from = readClock(s, i);
      std::size_t j = i;
      while (j < s.size() && s[j] == ' ') {
        ++j;
      }
      std::size_t k = j;
      if (j < s.size() && s[j] == '-') {
        k = j + 1;
      } else if (s.compare(j, 2, "\xc3\xa0") == 0 || s.compare(j, 2, "to") == 0) {  // "à", "to"
        k = j + 2;
      } else if (s.compare(j, 2, "a ") == 0) {
        k = j + 1;
      }
      if (from >= 0 && k > j) {
        while (k < s.size() && s[k] == ' ') {
          ++k;
        }
        std::size_t before = k;
        int to = readClock(s, k);
        if (to > from && k > before) {
          ranges.emplace_back(from, to);
          i = k;
          continue;
        }
      }
      if (from < 0) {
        ++i;
      }
    } else {
      ++i;
    }
  }
  WeekMask mask;
  if (days.empty() && ranges.empty()) {
    return mask;
  }
  if (days.empty()) {
    days = {0, 1, 2, 3, 4, 5, 6};
  }
  if (ranges.empty()) {
    ranges.emplace_back(0, 1440);
  }
  for (int day : days) {
    for (const auto& [from, to] : ranges) {
      mask |= WeekMask::fromLocalSlot(day, from, std::min(to, 1440), utcOffsetMinutes);
    }
  }
  return mask;
}

PairScore pairScore(const PairPerson& newcomer, const PairPerson& mentor) {
  PairScore result;
  std::vector<int> shared;
  std::set_intersection(newcomer.skills.begin(), newcomer.skills.end(), mentor.skills.begin(), mentor.skills.end(),
                        std::back_inserter(shared));
  result.sharedSkills = static_cast<int>(shared.size());
  shared.clear();
  std::set_intersection(newcomer.languages.begin(), newcomer.languages.end(), mentor.languages.begin(),
                        mentor.languages.end(), std::back_inserter(shared));
  result.sharedLanguages = static_cast<int>(shared.size());
  result.sharedHours = newcomer.availability.overlap(mentor.availability);
  result.score = 3.0 * std::min(result.sharedSkills, 3) / 3.0 + (result.sharedLanguages > 0 ? 1.0 : 0.0) +
                 2.0 * std::min(result.sharedHours, 6) / 6.0;
  return result;
}

bool digestDue(long long lastSentAt, long long now, int days) {
  return lastSentAt <= 0 || now - lastSentAt >= static_cast<long long>(days) * 86400;
}

double weightOfTenths(long long tenths) {
  return static_cast<double>(std::clamp(tenths, 0LL, 100LL)) / 10.0;
}

}  // namespace matching::rules
