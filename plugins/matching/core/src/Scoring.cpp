#include "Scoring.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "matching/Model.h"

namespace matching::detail {

PackedLists::PackedLists(std::array<const std::vector<int>*, 4> lists) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < lists.size(); ++i) {
    sizes_[i] = static_cast<std::uint8_t>(std::min(lists[i]->size(), kMax));
    total += sizes_[i];
  }
  if (total == 0) {
    return;
  }
  data_ = std::make_unique<int[]>(total);
  std::size_t offset = 0;
  for (std::size_t i = 0; i < lists.size(); ++i) {
    std::copy_n(lists[i]->begin(), sizes_[i], data_.get() + offset);
    offset += sizes_[i];
  }
}

std::size_t PackedLists::heapBytes() const {
  std::size_t total = 0;
  for (auto size : sizes_) {
    total += size;
  }
  // malloc rounds to 16 bytes and keeps an 8-byte header.
  return total == 0 ? 0 : ((total * sizeof(int) + 8 + 15) / 16) * 16;
}

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kEarthRadiusKm = 6371.0;
/// Below 6371 × π / 180 = 111.19 with a margin far above rounding errors.
constexpr double kKmPerDegreeAtLeast = 111.0;

}  // namespace

int overlap(std::span<const int> a, std::span<const int> b, int* first) {
  int count = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      if (count == 0 && first != nullptr) {
        *first = *i;
      }
      ++count;
      ++i;
      ++j;
    }
  }
  return count;
}

namespace {

/// The level at which the volunteer speaks `language`, 0 when not at all.
int levelOf(std::span<const int> packedLanguages, int language) {
  int level = 0;
  for (int packed : packedLanguages) {
    if (packedLanguage(packed) == language) {
      level = std::max(level, packedLevel(packed));
    }
  }
  return level;
}

}  // namespace

double distanceKm(double lat1, double lon1, double lat2, double lon2) {
  const double toRadians = kPi / 180.0;
  double dLat = (lat2 - lat1) * toRadians;
  double dLon = (lon2 - lon1) * toRadians;
  double a = std::sin(dLat / 2) * std::sin(dLat / 2) +
             std::cos(lat1 * toRadians) * std::cos(lat2 * toRadians) * std::sin(dLon / 2) * std::sin(dLon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, a)));
}

double decayedExposure(double exposure, long long at, long long now) {
  if (exposure <= 0) {
    return 0;
  }
  if (now <= at) {
    return exposure;
  }
  // pow, not exp2: the benchmark's SQL (power) must compute the very same double.
  return exposure * std::pow(2.0, -static_cast<double>(now - at) / kExposureHalfLife);
}

double feedbackPart(const Weights& w, const VolunteerRecord& v) {
  double known = v.feedback > 0 ? std::min(v.feedback, 5.0) / 5.0 : 0.5;
  double experience = std::min(v.completed, 10) / 10.0;
  return w.feedback * (0.7 * known + 0.3 * experience);
}

double urgencyPart(const Weights& w, const MissionRecord& m, long long now) {
  double soon = 0;
  if (m.startsAt > 0) {
    soon = m.startsAt <= now ? 1.0 : std::max(0.0, 1.0 - static_cast<double>(m.startsAt - now) / kUrgencyHorizon);
  }
  double places = std::min(std::max(m.placesLeft, 0), 10) / 10.0;
  return w.urgency * (0.7 * soon + 0.3 * places);
}

double upperBound(const Weights& w, int skillsMatched, int skillsTotal, int causesMatched, int causesTotal,
                  double feedback, double urgency) {
  double skills = skillsTotal > 0 ? w.skills * skillsMatched / skillsTotal : 0.0;
  double causes = causesTotal > 0 ? w.causes * causesMatched / causesTotal : 0.0;
  return skills + causes + w.languages + w.availability + w.distance + feedback + urgency;
}

bool evaluate(const VolunteerRecord& v, const MissionRecord& m, const Weights& w, long long now, Direction direction,
              int skillsMatched, int causesMatched, Evaluation& out) {
  if (!m.open || m.placesLeft <= 0) {
    return false;
  }
  // Required languages: each spoken at least at its level.
  auto spoken = v.languages();
  auto required = m.requiredLanguages();
  for (int packed : required) {
    if (levelOf(spoken, packedLanguage(packed)) < packedLevel(packed)) {
      return false;
    }
  }
  // Availability: no hour in common excludes, when both are known.
  int hoursFree = 0;
  int hoursNeeded = m.schedule.count();
  double availability = 1.0;
  if (hoursNeeded > 0) {
    if (v.availability.empty()) {
      availability = 0.5;
    } else {
      hoursFree = m.schedule.overlap(v.availability);
      if (hoursFree == 0) {
        return false;
      }
      availability = static_cast<double>(hoursFree) / hoursNeeded;
    }
  }
  // Distance: an on-site mission beyond reach excludes, when both places are known.
  double distance = 0;
  int km = 0;
  if (m.remote) {
    distance = v.remoteOk ? 1.0 : 0.0;
  } else if (m.hasPlace && v.hasPlace) {
    // Cheap first: the distance is at least 111.19 km per degree of latitude apart.
    if (std::abs(m.lat - v.lat) * kKmPerDegreeAtLeast > v.reachKm) {
      return false;
    }
    double d = distanceKm(v.lat, v.lon, m.lat, m.lon);
    if (d > v.reachKm) {
      return false;
    }
    distance = 1.0 - d / v.reachKm;
    km = static_cast<int>(std::lround(d));
  }

  out = Evaluation{};
  auto skillsTotal = static_cast<int>(m.skills().size());
  auto causesTotal = static_cast<int>(m.causes().size());
  if (skillsMatched < 0) {
    skillsMatched = overlap(m.skills(), v.skills(), &out.firstSkill);
  }
  if (causesMatched < 0) {
    causesMatched = overlap(m.causes(), v.causes(), &out.firstCause);
  }
  auto optional = m.optionalLanguages();
  int languagesMatched = static_cast<int>(required.size());
  if (!required.empty()) {
    out.firstLanguage = packedLanguage(required.front());
  }
  for (int language : optional) {
    if (levelOf(spoken, language) > 0) {
      if (out.firstLanguage < 0) {
        out.firstLanguage = language;
      }
      ++languagesMatched;
    }
  }
  auto languagesTotal = static_cast<int>(required.size() + optional.size());

  auto& c = out.contribution;
  c[kSkills] = skillsTotal > 0 ? w.skills * skillsMatched / skillsTotal : 0.0;
  c[kCauses] = causesTotal > 0 ? w.causes * causesMatched / causesTotal : 0.0;
  c[kLanguages] = languagesTotal > 0 ? w.languages * languagesMatched / languagesTotal : 0.0;
  c[kAvailability] = w.availability * availability;
  c[kDistance] = w.distance * distance;
  c[kFeedback] = feedbackPart(w, v);
  c[kUrgency] = urgencyPart(w, m, now);
  double exposure = 0;
  if (direction == Direction::VolunteersForMission) {
    exposure = decayedExposure(v.exposure, v.exposureAt, now);
    c[kFairness] = -(w.fairness * (exposure / (exposure + kExposureHalf)));
  }
  out.matched = {skillsMatched,
                 causesMatched,
                 languagesMatched,
                 hoursFree,
                 km,
                 v.completed,
                 m.startsAt > now ? static_cast<int>((m.startsAt - now) / 86400) : 0,
                 static_cast<int>(std::lround(exposure))};
  out.total = {skillsTotal, causesTotal, languagesTotal, hoursNeeded, m.remote ? 0 : v.reachKm, 0, m.placesLeft, 0};
  out.remote = m.remote;
  double score = 0;
  for (double part : c) {
    score += part;
  }
  out.score = score;
  return true;
}

Suggestion explain(long long id, const VolunteerRecord& v, const MissionRecord& m, const Evaluation& e) {
  static const char* const kKeys[kParts] = {"skills",   "causes",   "languages", "availability",
                                            "distance", "feedback", "urgency",   "fairness"};
  Suggestion suggestion;
  suggestion.id = id;
  suggestion.score = e.score;
  for (int part = 0; part < kParts; ++part) {
    if (e.contribution[part] == 0) {
      continue;
    }
    Reason reason;
    reason.key = part == kDistance && e.remote ? "remote" : kKeys[part];
    reason.contribution = e.contribution[part];
    reason.matched = e.matched[part];
    reason.total = e.total[part];
    if (part == kSkills && e.firstSkill >= 0) {
      reason.detail = std::to_string(e.firstSkill);
    } else if (part == kCauses && e.firstCause >= 0) {
      reason.detail = std::to_string(e.firstCause);
    } else if (part == kLanguages && e.firstLanguage >= 0) {
      reason.detail = std::to_string(e.firstLanguage);
    } else if (part == kAvailability) {
      reason.detail = dominantSlotCode(m.schedule & v.availability, m.utcOffsetMinutes);
    } else if (part == kFeedback && v.feedback > 0) {
      char text[16];
      std::snprintf(text, sizeof text, "%.1f", v.feedback);
      reason.detail = text;
    }
    suggestion.reasons.push_back(std::move(reason));
  }
  std::stable_sort(suggestion.reasons.begin(), suggestion.reasons.end(),
                   [](const Reason& a, const Reason& b) { return a.contribution > b.contribution; });
  return suggestion;
}

}  // namespace matching::detail
