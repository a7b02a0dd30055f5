#pragma once

#include <array>
#include <span>

#include "Records.h"
#include "matching/Suggestion.h"
#include "matching/Weights.h"

namespace matching::detail {

/// The parts of a score, in the order they are summed.
enum Part { kSkills, kCauses, kLanguages, kAvailability, kDistance, kFeedback, kUrgency, kFairness, kParts };

/// Seconds of the exposure half-life (a week).
inline constexpr double kExposureHalfLife = 7 * 86400.0;
/// Exposure at which the fairness part takes half its weight.
inline constexpr double kExposureHalf = 5.0;
/// Start dates further than this (seconds) add no urgency.
inline constexpr double kUrgencyHorizon = 30 * 86400.0;

/// A scored pair: each part's contribution and what its reason shows.
struct Evaluation {
  std::array<double, kParts> contribution{};
  std::array<int, kParts> matched{};
  std::array<int, kParts> total{};
  double score = 0;
  int firstSkill = -1;
  int firstCause = -1;
  int firstLanguage = -1;
  bool remote = false;
};

/// A volunteer's exposure decayed to `now`.
double decayedExposure(double exposure, long long at, long long now);

/// The upper bound of a pair's score whatever the parts not given: the exact
/// skill and cause parts for `skillsMatched`/`causesMatched`, every other
/// positive part at its weight, feedback at the volunteer's and urgency at the
/// mission's exact value.
double upperBound(const Weights& w, int skillsMatched, int skillsTotal, int causesMatched, int causesTotal,
                  double feedbackPart, double urgencyPart);

/// The feedback part of a volunteer (weight included).
double feedbackPart(const Weights& w, const VolunteerRecord& v);
/// The urgency part of a mission at `now` (weight included).
double urgencyPart(const Weights& w, const MissionRecord& m, long long now);

/// Scores a pair: false when a hard filter excludes it. `skillsMatched` and
/// `causesMatched` are the overlaps when the caller knows them (from the
/// inverted indexes), -1 to count them here.
bool evaluate(const VolunteerRecord& v, const MissionRecord& m, const Weights& w, long long now, Direction direction,
              int skillsMatched, int causesMatched, Evaluation& out);

/// The suggestion of an evaluated pair, reasons largest first.
Suggestion explain(long long id, const VolunteerRecord& v, const MissionRecord& m, const Evaluation& e);

/// How many ids two sorted lists share; `first` (may be null) gets the first shared one.
int overlap(std::span<const int> a, std::span<const int> b, int* first);

/// Great-circle distance in km (haversine, Earth radius 6371 km) — the same
/// formula the benchmark's SQL uses.
double distanceKm(double lat1, double lon1, double lat2, double lon2);

}  // namespace matching::detail
