#include "matching/WeekMask.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>

namespace matching {

WeekMask WeekMask::fromLocalSlot(int weekday, int startMinute, int endMinute, int utcOffsetMinutes) {
  WeekMask mask;
  if (weekday < 0 || weekday > 6 || startMinute < 0 || endMinute > 1440 || endMinute <= startMinute) {
    return mask;
  }
  // Minutes since Monday 00:00 UTC; the week wraps (Monday 00:30 in Paris is Sunday 23:30 UTC).
  int start = weekday * 1440 + startMinute - utcOffsetMinutes;
  int end = weekday * 1440 + endMinute - utcOffsetMinutes;
  int firstHour = start >= 0 ? start / 60 : -((-start + 59) / 60);
  for (int hour = firstHour; hour * 60 < end; ++hour) {
    mask.set(hour);
  }
  return mask;
}

WeekMask WeekMask::all() {
  WeekMask mask;
  mask.bits = {~std::uint64_t{0}, ~std::uint64_t{0}, (std::uint64_t{1} << (kHours - 128)) - 1};
  return mask;
}

namespace {

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
long long daysFromCivil(long long y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

/// Epoch seconds of the last Sunday of `month` in `year`, 01:00 UTC (the EU switch).
long long euSwitch(long long year, unsigned month) {
  long long lastDay = daysFromCivil(year, month + 1, 1) - 1;  // month is 3 or 10: month + 1 exists
  long long weekday = (lastDay + 4) % 7;                      // 1970-01-01 was a Thursday (4); 0 = Sunday
  return (lastDay - weekday) * 86400 + 3600;
}

long long yearOf(long long epochSeconds) {
  std::time_t t = static_cast<std::time_t>(epochSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900LL;
}

}  // namespace

int utcOffsetMinutesFor(const std::string& timeZone, long long epochSeconds) {
  static const char* const kCentralEurope[] = {"Europe/Paris",  "Europe/Brussels", "Europe/Luxembourg",
                                               "Europe/Zurich", "Europe/Monaco",   "Europe/Andorra",
                                               "Europe/Berlin", "Europe/Madrid",   "Europe/Rome"};
  for (const char* zone : kCentralEurope) {
    if (timeZone == zone) {
      long long year = yearOf(epochSeconds);
      bool summer = epochSeconds >= euSwitch(year, 3) && epochSeconds < euSwitch(year, 10);
      return summer ? 120 : 60;
    }
  }
  struct Fixed {
    const char* zone;
    int minutes;
  };
  static const Fixed kFixed[] = {{"UTC", 0},
                                 {"Etc/UTC", 0},
                                 {"America/Martinique", -240},
                                 {"America/Guadeloupe", -240},
                                 {"America/Cayenne", -180},
                                 {"Indian/Reunion", 240},
                                 {"Indian/Mayotte", 180},
                                 {"Pacific/Noumea", 660},
                                 {"Pacific/Tahiti", -600}};
  for (const auto& fixed : kFixed) {
    if (timeZone == fixed.zone) {
      return fixed.minutes;
    }
  }
  // "+HH:MM" / "-HH:MM"
  if (timeZone.size() == 6 && (timeZone[0] == '+' || timeZone[0] == '-') && timeZone[3] == ':') {
    int hours = std::atoi(timeZone.substr(1, 2).c_str());
    int minutes = std::atoi(timeZone.substr(4, 2).c_str());
    int total = hours * 60 + minutes;
    if (hours <= 14 && minutes < 60) {
      return timeZone[0] == '-' ? -total : total;
    }
  }
  return 0;
}

std::string dominantSlotCode(const WeekMask& mask, int utcOffsetMinutes) {
  static const char* const kParts[] = {"night", "morning", "afternoon", "evening"};
  int counts[7][4] = {};
  bool any = false;
  int shift = utcOffsetMinutes >= 0 ? utcOffsetMinutes / 60 : -((-utcOffsetMinutes + 59) / 60);
  for (int hour = 0; hour < WeekMask::kHours; ++hour) {
    if (mask.test(hour)) {
      int local = ((hour + shift) % WeekMask::kHours + WeekMask::kHours) % WeekMask::kHours;
      ++counts[local / 24][(local % 24) / 6];
      any = true;
    }
  }
  if (!any) {
    return "";
  }
  int bestDay = 0;
  int bestPart = 0;
  for (int day = 0; day < 7; ++day) {
    for (int part = 0; part < 4; ++part) {
      if (counts[day][part] > counts[bestDay][bestPart]) {
        bestDay = day;
        bestPart = part;
      }
    }
  }
  return std::to_string(bestDay) + "-" + kParts[bestPart];
}

}  // namespace matching
