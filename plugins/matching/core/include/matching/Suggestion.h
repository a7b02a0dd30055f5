#pragma once

#include <string>
#include <vector>

namespace matching {

/// Which way a ranking goes: fairness (exposure balancing) damps volunteers
/// only when volunteers are ranked for a mission.
enum class Direction { MissionsForVolunteer, VolunteersForMission };

/// One part of a score: what it adds and why, for pages and the API.
struct Reason {
  /// "skills", "causes", "languages", "availability", "distance", "remote",
  /// "feedback", "urgency" or "fairness" (negative: shown often recently).
  std::string key;
  /// What this part adds to the score (weight × factor).
  double contribution = 0;
  /// Matched and total items: skills 3 of 4, languages 2 of 2, hours free of
  /// the mission's hours, kilometres (matched = distance, total = reach),
  /// feedback (matched = completed missions), fairness (matched = exposure, rounded).
  int matched = 0;
  int total = 0;
  /// A code a page translates: availability "<weekday>-<part>" in the
  /// mission's local time (see dominantSlotCode), languages the id of the
  /// first language matched, skills and causes the first matched id.
  std::string detail;
};

/// A ranked result: a mission for a volunteer or a volunteer for a mission.
struct Suggestion {
  long long id = 0;
  /// The sum of the reasons' contributions (exactly: computed as that sum).
  double score = 0;
  /// Every non-zero part of the score, largest contribution first.
  std::vector<Reason> reasons;
};

}  // namespace matching
