#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "matching/Model.h"
#include "matching/SkillSynonyms.h"
#include "matching/Suggestion.h"
#include "matching/WeekMask.h"
#include "matching/Weights.h"

namespace matching {

/// Optional narrowing of a query.
struct QueryOptions {
  /// Non-zero: topVolunteersFor keeps only members of this association
  /// (mentor pairs), topMissionsFor only this association's missions.
  long long associationId = 0;
  /// Ids never returned (the volunteer himself for a mentor, missions already applied to).
  std::vector<long long> exclude;
};

/// The in-memory matching index: volunteers and missions, inverted indexes
/// (skill, cause, language → items), ranking both ways with explanations.
/// Thread-safe: queries share a lock, changes take it alone.
///
/// Scoring (the same in queries and in scoreOf): hard filters first — a
/// closed or full mission, a required language missing or below its level, an
/// availability with no hour in the mission's schedule (both known), an
/// on-site mission beyond the volunteer's reach (both places known) — then
/// the sum of the Weights × factors, each factor in 0..1 (see Weights), and
/// for volunteers a negative fairness part from recent exposure (decayed with
/// a 7-day half-life). Ties: lower id first.
///
/// Work per query: the posting lists of the query's skills and causes are
/// walked once to count overlaps; candidates are scored in order of an upper
/// bound of their score, stopping when the k-th best so far beats the next
/// bound; items sharing no skill and no cause are scanned only when the k-th
/// best does not already beat their common upper bound (restricted to the
/// posting list of a required language when there is one).
class Index {
 public:
  Index();
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  /// Replaces the synonyms used to canonicalise skills of items upserted from now on.
  void setSynonyms(SkillSynonyms synonyms);

  /// Adds or replaces a volunteer.
  void upsertVolunteer(Volunteer volunteer);
  /// Removes a volunteer (no-op when absent); its exposure goes too.
  void removeVolunteer(long long id);
  /// Adds or replaces a mission.
  void upsertMission(Mission mission);
  /// Removes a mission (no-op when absent).
  void removeMission(long long id);

  /// The best `k` missions for a volunteer at time `now` (epoch seconds), best
  /// first; empty when the volunteer is unknown.
  std::vector<Suggestion> topMissionsFor(long long volunteerId, std::size_t k, const Weights& weights, long long now,
                                         const QueryOptions& options = {}) const;
  /// The best `k` volunteers for a mission at time `now`, best first; empty
  /// when the mission is unknown or closed.
  std::vector<Suggestion> topVolunteersFor(long long missionId, std::size_t k, const Weights& weights, long long now,
                                           const QueryOptions& options = {}) const;

  /// The score of one pair with its reasons (id: the mission's for
  /// MissionsForVolunteer, the volunteer's otherwise), or none when a hard
  /// filter excludes it or either is unknown: what a brute-force reference
  /// ranks with, and what a page shows for one pair.
  std::optional<Suggestion> scoreOf(long long volunteerId, long long missionId, const Weights& weights, long long now,
                                    Direction direction = Direction::VolunteersForMission) const;

  /// Counts one suggestion shown to (or about) a volunteer at `now`: the more
  /// recent exposures, the more the fairness part damps him.
  void recordExposure(long long volunteerId, long long now);
  /// The volunteer's exposure at `now` (decayed count).
  double exposureOf(long long volunteerId, long long now) const;

  /// Items held.
  struct Size {
    std::size_t volunteers = 0;
    std::size_t missions = 0;
  };
  Size size() const;
  /// Approximate heap bytes held (items, inverted indexes, id maps).
  std::size_t memoryBytes() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace matching
