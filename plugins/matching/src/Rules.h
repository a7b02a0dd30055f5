// The matching plugin's pure rules: conversions from what the kernel stores
// to what the ranking core needs, the schedule parser, the mentor-pair score
// and the digest's rate limit. No SDK, no database: unit-tested on their own.
#pragma once

#include <string>
#include <vector>

#include "matching/WeekMask.h"

namespace matching::rules {

/// The core's id of an ISO 639-1 code ("en" → a small positive int); 0 for
/// anything that is not two lower-case letters.
int languageId(const std::string& code);
/// The code back from languageId ("" for 0).
std::string languageCode(int id);
/// The core's level of a kernel level: basic 1, conversational 2, fluent 4, native 5; 0 if unknown.
int languageLevel(const std::string& level);
/// The level a mission's required language asks: conversational.
inline constexpr int kRequiredLevel = 2;

/// Epoch seconds of 00:00 UTC on a day "YYYY-MM-DD"; 0 when malformed.
long long dayStart(const std::string& day);
/// "YYYY-MM-DD" of the UTC day holding `epochSeconds`.
std::string dayOf(long long epochSeconds);

/// The weekly hours of a mission's free-text schedule, local time shifted to
/// UTC by `utcOffsetMinutes`. Reads French and English day names (plural or
/// short: "mardis", "tue") and hour ranges ("18h-20h", "18h30 - 20h",
/// "18:00-20:00"). Days without a range take the whole day; a range
/// without days takes every day; nothing recognised gives an empty mask
/// (the core reads it as "any time").
WeekMask parseSchedule(const std::string& text, int utcOffsetMinutes);

/// What a mentor-pair suggestion compares of two people.
struct PairPerson {
  long long id = 0;
  std::vector<int> skills;     ///< sorted
  std::vector<int> languages;  ///< sorted language ids
  WeekMask availability;
};

/// One mentor-pair suggestion's parts: shared skills, shared languages,
/// hours free at the same time; score = 3 × min(skills, 3)/3 + 1 ×
/// (languages > 0) + 2 × min(hours, 6)/6, so at most 6.
struct PairScore {
  int sharedSkills = 0;
  int sharedLanguages = 0;
  int sharedHours = 0;
  double score = 0;
};
PairScore pairScore(const PairPerson& newcomer, const PairPerson& mentor);

/// Whether a person last mailed at `lastSentAt` (0: never) may get another
/// digest at `now`, at most one every `days` days.
bool digestDue(long long lastSentAt, long long now, int days);

/// The core weight of a setting in tenths (30 → 3.0), clamped to 0..100.
double weightOfTenths(long long tenths);

}  // namespace matching::rules
