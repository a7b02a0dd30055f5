#pragma once

#include <optional>
#include <vector>

#include "matching/WeekMask.h"

namespace matching {

/// A point on Earth, in degrees (WGS 84).
struct GeoPoint {
  double lat = 0;
  double lon = 0;
};

/// A language and a level: language is a caller's id (e.g. an index into the
/// kernel's language codes), level 1..5 (basic = 1, conversational = 2,
/// fluent = 4, native = 5 is the kernel's mapping; 3 is free for a "working" level).
struct LanguageLevel {
  int language = 0;
  int level = 1;
};

/// What the index knows of a volunteer. Skill ids must be canonical (see
/// SkillSynonyms); the index does not look anything up in a database.
struct Volunteer {
  long long id = 0;
  std::vector<int> skills;
  std::vector<int> causes;
  std::vector<LanguageLevel> languages;
  /// Weekly hours the volunteer is free, in UTC. Empty: unknown (no filter,
  /// half the availability score).
  WeekMask availability;
  /// Where the volunteer lives or wants to act; none: unknown (no distance
  /// filter, no distance score).
  std::optional<GeoPoint> place;
  /// How far the volunteer goes for an on-site mission; <= 0: kDefaultReachKm.
  int maxDistanceKm = 0;
  /// Whether the volunteer takes remote missions.
  bool remoteOk = true;
  /// Mean feedback received, 0..5; 0: unknown (counted as 2.5).
  double feedback = 0;
  int completedMissions = 0;
  /// Associations the volunteer is a member of.
  std::vector<long long> associations;
};

/// What the index knows of a mission.
struct Mission {
  long long id = 0;
  long long associationId = 0;
  std::vector<int> skills;
  std::vector<int> causes;
  /// Languages a volunteer must speak at least at this level (hard filter).
  std::vector<LanguageLevel> requiredLanguages;
  /// Languages that help (scored, never filtering).
  std::vector<int> optionalLanguages;
  /// Weekly hours the mission happens, in UTC; empty: any time.
  WeekMask schedule;
  /// The mission's UTC offset in minutes, only to word explanations in its
  /// local time ("Tuesday evening" in Paris, not in UTC).
  int utcOffsetMinutes = 0;
  /// Where it happens; none with remote false: place unknown (no filter).
  std::optional<GeoPoint> place;
  /// Can be done remotely (remote or hybrid): no distance filter.
  bool remote = false;
  /// Start, epoch seconds; 0: unknown (no urgency from the date).
  long long startsAt = 0;
  int placesLeft = 1;
  /// Published and accepting applications; closed or full missions are never suggested.
  bool open = true;
};

/// The reach of a volunteer who gave no maximum distance.
inline constexpr int kDefaultReachKm = 20;

}  // namespace matching
