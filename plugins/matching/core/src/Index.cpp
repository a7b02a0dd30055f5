#include "matching/Index.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "Records.h"
#include "Scoring.h"

namespace matching {

namespace {

using detail::Evaluation;
using detail::MissionRecord;
using detail::VolunteerRecord;

using Slot = std::uint32_t;
using Postings = std::unordered_map<long long, std::vector<Slot>>;

/// Bounds are sums in another order than scores: a few ulps of slack.
constexpr double kBoundSlack = 1e-9;
/// Side of a geographic cell, in degrees.
constexpr double kCellDegrees = 0.5;
/// Kilometres per degree of latitude, rounded down (so cell ranges err wide).
constexpr double kKmPerDegree = 111.0;

long long cellKey(long long latCell, long long lonCell) {
  return (latCell + 1000) * 10000 + (lonCell + 1000);
}
long long cellOf(double lat, double lon) {
  return cellKey(static_cast<long long>(std::floor(lat / kCellDegrees)),
                 static_cast<long long>(std::floor(lon / kCellDegrees)));
}

void addPosting(Postings& postings, long long key, Slot slot) {
  postings[key].push_back(slot);
}

void removePosting(Postings& postings, long long key, Slot slot) {
  auto found = postings.find(key);
  if (found == postings.end()) {
    return;
  }
  auto& list = found->second;
  auto at = std::find(list.begin(), list.end(), slot);
  if (at != list.end()) {
    *at = list.back();
    list.pop_back();
  }
  if (list.empty()) {
    postings.erase(found);
  }
}

void removeFrom(std::vector<Slot>& list, Slot slot) {
  auto at = std::find(list.begin(), list.end(), slot);
  if (at != list.end()) {
    *at = list.back();
    list.pop_back();
  }
}

std::size_t postingsBytes(const Postings& postings) {
  std::size_t bytes = postings.bucket_count() * sizeof(void*);
  for (const auto& [key, list] : postings) {
    bytes += 48 + ((list.capacity() * sizeof(Slot) + 8 + 15) / 16) * 16;
  }
  return bytes;
}

template <class Map>
std::size_t idMapBytes(const Map& map) {
  return map.bucket_count() * sizeof(void*) + map.size() * 32;
}

std::vector<int> sortedUnique(std::vector<int> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

/// Languages packed and sorted, one entry per language at its highest level.
std::vector<int> packLanguages(const std::vector<LanguageLevel>& languages) {
  std::vector<int> packed;
  for (const auto& l : languages) {
    packed.push_back(detail::packLanguage(l.language, l.level));
  }
  std::sort(packed.begin(), packed.end());
  std::vector<int> out;
  for (int p : packed) {
    if (!out.empty() && detail::packedLanguage(out.back()) == detail::packedLanguage(p)) {
      out.back() = p;  // sorted: the later one has the higher level
    } else {
      out.push_back(p);
    }
  }
  return out;
}

/// The k best (score desc, id asc) seen so far; front() of the heap is the worst kept.
class TopK {
 public:
  struct Entry {
    double score;
    long long id;
    Slot slot;
  };
  explicit TopK(std::size_t k) : k_(k) { entries_.reserve(k); }

  bool full() const { return entries_.size() >= k_; }
  double worst() const { return entries_.front().score; }
  /// Whether a candidate whose score is at most `bound` may still enter.
  bool mayEnter(double bound) const { return !full() || bound + kBoundSlack >= worst(); }
  void offer(double score, long long id, Slot slot) {
    Entry entry{score, id, slot};
    if (!full()) {
      entries_.push_back(entry);
      std::push_heap(entries_.begin(), entries_.end(), better);
    } else if (better(entry, entries_.front())) {
      std::pop_heap(entries_.begin(), entries_.end(), better);
      entries_.back() = entry;
      std::push_heap(entries_.begin(), entries_.end(), better);
    }
  }
  /// Best first.
  std::vector<Entry> sorted() && {
    std::sort(entries_.begin(), entries_.end(), better);
    return std::move(entries_);
  }

 private:
  static bool better(const Entry& a, const Entry& b) {
    return a.score > b.score || (a.score == b.score && a.id < b.id);
  }
  std::size_t k_;
  std::vector<Entry> entries_;
};

/// Per-thread counters of skill and cause overlaps, indexed by slot; reset after each query.
struct Scratch {
  std::vector<std::uint8_t> skills;
  std::vector<std::uint8_t> causes;
  std::vector<Slot> touched;
  std::vector<Slot> ordered;
  std::vector<std::size_t> buckets;

  void prepare(std::size_t slots) {
    if (skills.size() < slots) {
      skills.resize(slots, 0);
      causes.resize(slots, 0);
    }
    touched.clear();
  }
  void count(const std::vector<Slot>& postings, std::vector<std::uint8_t>& counter) {
    for (Slot slot : postings) {
      if (skills[slot] == 0 && causes[slot] == 0) {
        touched.push_back(slot);
      }
      if (counter[slot] < 255) {
        ++counter[slot];
      }
    }
  }
  /// Touched slots by (skills, causes) overlap, largest first (counting sort), into `ordered`.
  void order(int maxSkills, int maxCauses) {
    auto width = static_cast<std::size_t>(maxCauses + 1);
    buckets.assign(static_cast<std::size_t>(maxSkills + 1) * width + 1, 0);
    auto keyOf = [&](Slot slot) {
      return (static_cast<std::size_t>(maxSkills - std::min<int>(skills[slot], maxSkills)) * width) +
             static_cast<std::size_t>(maxCauses - std::min<int>(causes[slot], maxCauses));
    };
    for (Slot slot : touched) {
      ++buckets[keyOf(slot) + 1];
    }
    for (std::size_t i = 1; i < buckets.size(); ++i) {
      buckets[i] += buckets[i - 1];
    }
    ordered.resize(touched.size());
    for (Slot slot : touched) {
      ordered[buckets[keyOf(slot)]++] = slot;
    }
  }
  void reset() {
    for (Slot slot : touched) {
      skills[slot] = 0;
      causes[slot] = 0;
    }
    touched.clear();
  }
  bool isTouched(Slot slot) const { return skills[slot] != 0 || causes[slot] != 0; }
};

Scratch& scratch() {
  thread_local Scratch instance;
  return instance;
}

/// A shared mutex where a waiting writer goes first: glibc's rwlock lets a
/// steady stream of readers (queries) starve a writer (an event's upsert)
/// forever. Writers hold `gate_` while they wait, so new readers queue behind them.
class WriterFirstMutex {
 public:
  void lock() {
    std::lock_guard gate(gate_);
    mutex_.lock();
  }
  void unlock() { mutex_.unlock(); }
  void lock_shared() {
    { std::lock_guard gate(gate_); }
    mutex_.lock_shared();
  }
  void unlock_shared() { mutex_.unlock_shared(); }

 private:
  std::mutex gate_;
  std::shared_mutex mutex_;
};

}  // namespace

struct Index::State {
  mutable WriterFirstMutex mutex;
  SkillSynonyms synonyms;

  std::vector<VolunteerRecord> volunteers;
  std::vector<Slot> freeVolunteers;
  std::unordered_map<long long, Slot> volunteerSlots;
  std::vector<MissionRecord> missions;
  std::vector<Slot> freeMissions;
  std::unordered_map<long long, Slot> missionSlots;

  Postings volunteersBySkill, volunteersByCause, volunteersByLanguage, volunteersByCell;
  Postings unplacedBySkill, unplacedByCause;  ///< the same, for volunteers whose place is unknown
  std::vector<Slot> volunteersWithoutPlace;
  Postings missionsBySkill, missionsByCause, missionsByCell;
  std::vector<Slot> missionsRemote, missionsWithoutPlace;
  int maxReachKm = kDefaultReachKm;  ///< only grows: a bound for geographic candidates

  std::unordered_map<long long, int> associationSlots;
  std::vector<long long> associationIds;
  std::size_t packedBytes = 0;

  int associationSlot(long long id) {
    auto [at, inserted] = associationSlots.emplace(id, static_cast<int>(associationIds.size()));
    if (inserted) {
      associationIds.push_back(id);
    }
    return at->second;
  }

  void unindexVolunteer(Slot slot) {
    auto& v = volunteers[slot];
    for (int skill : v.skills()) {
      removePosting(volunteersBySkill, skill, slot);
    }
    for (int cause : v.causes()) {
      removePosting(volunteersByCause, cause, slot);
    }
    for (int packed : v.languages()) {
      removePosting(volunteersByLanguage, detail::packedLanguage(packed), slot);
    }
    if (v.hasPlace) {
      removePosting(volunteersByCell, cellOf(v.lat, v.lon), slot);
    } else {
      removeFrom(volunteersWithoutPlace, slot);
      for (int skill : v.skills()) {
        removePosting(unplacedBySkill, skill, slot);
      }
      for (int cause : v.causes()) {
        removePosting(unplacedByCause, cause, slot);
      }
    }
    packedBytes -= v.lists.heapBytes();
  }

  void indexVolunteer(Slot slot) {
    auto& v = volunteers[slot];
    for (int skill : v.skills()) {
      addPosting(volunteersBySkill, skill, slot);
    }
    for (int cause : v.causes()) {
      addPosting(volunteersByCause, cause, slot);
    }
    for (int packed : v.languages()) {
      addPosting(volunteersByLanguage, detail::packedLanguage(packed), slot);
    }
    if (v.hasPlace) {
      addPosting(volunteersByCell, cellOf(v.lat, v.lon), slot);
    } else {
      volunteersWithoutPlace.push_back(slot);
      for (int skill : v.skills()) {
        addPosting(unplacedBySkill, skill, slot);
      }
      for (int cause : v.causes()) {
        addPosting(unplacedByCause, cause, slot);
      }
    }
    maxReachKm = std::max(maxReachKm, v.reachKm);
    packedBytes += v.lists.heapBytes();
  }

  void unindexMission(Slot slot) {
    auto& m = missions[slot];
    for (int skill : m.skills()) {
      removePosting(missionsBySkill, skill, slot);
    }
    for (int cause : m.causes()) {
      removePosting(missionsByCause, cause, slot);
    }
    if (m.remote) {
      removeFrom(missionsRemote, slot);
    } else if (m.hasPlace) {
      removePosting(missionsByCell, cellOf(m.lat, m.lon), slot);
    } else {
      removeFrom(missionsWithoutPlace, slot);
    }
    packedBytes -= m.lists.heapBytes();
  }

  void indexMission(Slot slot) {
    auto& m = missions[slot];
    for (int skill : m.skills()) {
      addPosting(missionsBySkill, skill, slot);
    }
    for (int cause : m.causes()) {
      addPosting(missionsByCause, cause, slot);
    }
    if (m.remote) {
      missionsRemote.push_back(slot);
    } else if (m.hasPlace) {
      addPosting(missionsByCell, cellOf(m.lat, m.lon), slot);
    } else {
      missionsWithoutPlace.push_back(slot);
    }
    packedBytes += m.lists.heapBytes();
  }

  /// Calls `visit(slot)` for every slot in the cells that may hold a point
  /// within `km` of (lat, lon); false (nothing visited) when the range is
  /// too wide to enumerate (near a pole, across the antimeridian, huge radius).
  template <class Visit>
  bool visitCells(const Postings& cells, double lat, double lon, double km, Visit&& visit) const {
    double dLat = km / kKmPerDegree;
    double farLat = std::min(89.0, std::max(std::abs(lat - dLat), std::abs(lat + dLat)));
    double cosine = std::cos(farLat * 3.14159265358979323846 / 180.0);
    if (dLat > 20 || cosine < 0.05) {
      return false;
    }
    double dLon = km / (kKmPerDegree * cosine);
    if (lon - dLon < -180 || lon + dLon > 180) {
      return false;
    }
    auto latFrom = static_cast<long long>(std::floor((lat - dLat) / kCellDegrees));
    auto latTo = static_cast<long long>(std::floor((lat + dLat) / kCellDegrees));
    auto lonFrom = static_cast<long long>(std::floor((lon - dLon) / kCellDegrees));
    auto lonTo = static_cast<long long>(std::floor((lon + dLon) / kCellDegrees));
    for (auto a = latFrom; a <= latTo; ++a) {
      for (auto o = lonFrom; o <= lonTo; ++o) {
        auto found = cells.find(cellKey(a, o));
        if (found != cells.end()) {
          for (Slot slot : found->second) {
            visit(slot);
          }
        }
      }
    }
    return true;
  }
};

Index::Index() : state_(std::make_unique<State>()) {}
Index::~Index() = default;

void Index::setSynonyms(SkillSynonyms synonyms) {
  std::unique_lock lock(state_->mutex);
  state_->synonyms = std::move(synonyms);
}

void Index::upsertVolunteer(Volunteer volunteer) {
  auto& s = *state_;
  std::unique_lock lock(s.mutex);
  VolunteerRecord record;
  record.id = volunteer.id;
  auto skills = s.synonyms.canonicalise(volunteer.skills);
  auto causes = sortedUnique(volunteer.causes);
  auto languages = packLanguages(volunteer.languages);
  std::vector<int> associations;
  for (long long id : volunteer.associations) {
    associations.push_back(s.associationSlot(id));
  }
  associations = sortedUnique(associations);
  record.lists = detail::PackedLists({&skills, &causes, &languages, &associations});
  record.availability = volunteer.availability;
  record.hasPlace = volunteer.place.has_value();
  if (record.hasPlace) {
    record.lat = volunteer.place->lat;
    record.lon = volunteer.place->lon;
  }
  record.reachKm = volunteer.maxDistanceKm > 0 ? volunteer.maxDistanceKm : kDefaultReachKm;
  record.remoteOk = volunteer.remoteOk;
  record.feedback = std::clamp(volunteer.feedback, 0.0, 5.0);
  record.completed = std::max(0, volunteer.completedMissions);
  record.alive = true;

  auto found = s.volunteerSlots.find(volunteer.id);
  Slot slot;
  if (found != s.volunteerSlots.end()) {
    slot = found->second;
    s.unindexVolunteer(slot);
    record.exposure = s.volunteers[slot].exposure;
    record.exposureAt = s.volunteers[slot].exposureAt;
  } else if (!s.freeVolunteers.empty()) {
    slot = s.freeVolunteers.back();
    s.freeVolunteers.pop_back();
    s.volunteerSlots.emplace(volunteer.id, slot);
  } else {
    slot = static_cast<Slot>(s.volunteers.size());
    s.volunteers.emplace_back();
    s.volunteerSlots.emplace(volunteer.id, slot);
  }
  s.volunteers[slot] = std::move(record);
  s.indexVolunteer(slot);
}

void Index::removeVolunteer(long long id) {
  auto& s = *state_;
  std::unique_lock lock(s.mutex);
  auto found = s.volunteerSlots.find(id);
  if (found == s.volunteerSlots.end()) {
    return;
  }
  Slot slot = found->second;
  s.unindexVolunteer(slot);
  s.volunteers[slot] = VolunteerRecord{};
  s.freeVolunteers.push_back(slot);
  s.volunteerSlots.erase(found);
}

void Index::upsertMission(Mission mission) {
  auto& s = *state_;
  std::unique_lock lock(s.mutex);
  MissionRecord record;
  record.id = mission.id;
  record.associationId = mission.associationId;
  auto skills = s.synonyms.canonicalise(mission.skills);
  auto causes = sortedUnique(mission.causes);
  auto required = packLanguages(mission.requiredLanguages);
  std::vector<int> optional;
  for (int language : sortedUnique(mission.optionalLanguages)) {
    bool isRequired = std::any_of(required.begin(), required.end(),
                                  [&](int packed) { return detail::packedLanguage(packed) == language; });
    if (!isRequired) {
      optional.push_back(language);
    }
  }
  record.lists = detail::PackedLists({&skills, &causes, &required, &optional});
  record.schedule = mission.schedule;
  record.utcOffsetMinutes = mission.utcOffsetMinutes;
  record.hasPlace = mission.place.has_value();
  if (record.hasPlace) {
    record.lat = mission.place->lat;
    record.lon = mission.place->lon;
  }
  record.remote = mission.remote;
  record.startsAt = mission.startsAt;
  record.placesLeft = mission.placesLeft;
  record.open = mission.open;
  record.alive = true;

  auto found = s.missionSlots.find(mission.id);
  Slot slot;
  if (found != s.missionSlots.end()) {
    slot = found->second;
    s.unindexMission(slot);
  } else if (!s.freeMissions.empty()) {
    slot = s.freeMissions.back();
    s.freeMissions.pop_back();
    s.missionSlots.emplace(mission.id, slot);
  } else {
    slot = static_cast<Slot>(s.missions.size());
    s.missions.emplace_back();
    s.missionSlots.emplace(mission.id, slot);
  }
  s.missions[slot] = std::move(record);
  s.indexMission(slot);
}

void Index::removeMission(long long id) {
  auto& s = *state_;
  std::unique_lock lock(s.mutex);
  auto found = s.missionSlots.find(id);
  if (found == s.missionSlots.end()) {
    return;
  }
  Slot slot = found->second;
  s.unindexMission(slot);
  s.missions[slot] = MissionRecord{};
  s.freeMissions.push_back(slot);
  s.missionSlots.erase(found);
}

std::vector<Suggestion> Index::topVolunteersFor(long long missionId, std::size_t k, const Weights& weights,
                                                long long now, const QueryOptions& options) const {
  const auto& s = *state_;
  std::shared_lock lock(s.mutex);
  auto mFound = s.missionSlots.find(missionId);
  if (k == 0 || mFound == s.missionSlots.end()) {
    return {};
  }
  const MissionRecord& m = s.missions[mFound->second];
  if (!m.open || m.placesLeft <= 0) {
    return {};
  }
  const Weights w = weights.sanitized();
  int association = -1;
  if (options.associationId != 0) {
    auto found = s.associationSlots.find(options.associationId);
    if (found == s.associationSlots.end()) {
      return {};
    }
    association = found->second;
  }
  std::vector<long long> exclude = options.exclude;
  std::sort(exclude.begin(), exclude.end());

  const auto skillsTotal = static_cast<int>(m.skills().size());
  const auto causesTotal = static_cast<int>(m.causes().size());
  const double urgency = detail::urgencyPart(w, m, now);
  TopK top(k);
  // Weights of upper bounds: w, or w without distance for people whose place is unknown.
  const Weights* boundWeights = &w;
  auto consider = [&](Slot slot, int skillsMatched, int causesMatched) {
    const VolunteerRecord& v = s.volunteers[slot];
    if (!v.alive) {
      return;
    }
    double bound = detail::upperBound(*boundWeights, skillsMatched, skillsTotal, causesMatched, causesTotal,
                                      detail::feedbackPart(w, v), urgency);
    if (!top.mayEnter(bound)) {
      return;
    }
    if (association >= 0) {
      auto list = v.associations();
      if (!std::binary_search(list.begin(), list.end(), association)) {
        return;
      }
    }
    if (!exclude.empty() && std::binary_search(exclude.begin(), exclude.end(), v.id)) {
      return;
    }
    Evaluation e;
    if (detail::evaluate(v, m, w, now, Direction::VolunteersForMission, skillsMatched, causesMatched, e)) {
      top.offer(e.score, v.id, slot);
    }
  };

  auto finish = [&] {
    std::vector<Suggestion> out;
    for (const auto& entry : std::move(top).sorted()) {
      const VolunteerRecord& v = s.volunteers[entry.slot];
      Evaluation e;
      detail::evaluate(v, m, w, now, Direction::VolunteersForMission, -1, -1, e);
      out.push_back(detail::explain(v.id, v, m, e));
    }
    return out;
  };

  // Counts overlaps from skill and cause postings, visits candidates by
  // decreasing overlap until the k-th best beats what the rest can reach,
  // then visits `untouched` (people sharing nothing) only if they still can.
  auto rankByPostings = [&](const Postings& bySkill, const Postings& byCause, auto&& untouched) {
    Scratch& counts = scratch();
    counts.prepare(s.volunteers.size());
    for (int skill : m.skills()) {
      if (auto found = bySkill.find(skill); found != bySkill.end()) {
        counts.count(found->second, counts.skills);
      }
    }
    for (int cause : m.causes()) {
      if (auto found = byCause.find(cause); found != byCause.end()) {
        counts.count(found->second, counts.causes);
      }
    }
    counts.order(skillsTotal, causesTotal);
    const Weights& b = *boundWeights;
    // The best any later candidate can reach: its overlaps are at most the
    // current ones (same skills, fewer causes) or one skill less (any causes).
    auto remainingBound = [&](int skillsMatched, int causesMatched) {
      double sameSkills =
          detail::upperBound(b, skillsMatched, skillsTotal, causesMatched, causesTotal, b.feedback, urgency);
      double fewerSkills = skillsMatched > 0 ? detail::upperBound(b, skillsMatched - 1, skillsTotal, causesTotal,
                                                                  causesTotal, b.feedback, urgency)
                                             : sameSkills;
      return std::max(sameSkills, fewerSkills);
    };
    for (Slot slot : counts.ordered) {
      int skillsMatched = counts.skills[slot];
      int causesMatched = counts.causes[slot];
      if (!top.mayEnter(remainingBound(skillsMatched, causesMatched))) {
        break;
      }
      consider(slot, skillsMatched, causesMatched);
    }
    if (top.mayEnter(detail::upperBound(b, 0, skillsTotal, 0, causesTotal, b.feedback, urgency))) {
      untouched([&](Slot slot) {
        if (!counts.isTouched(slot)) {
          consider(slot, 0, 0);
        }
      });
    }
    counts.reset();
  };

  // An on-site mission: volunteers in the cells within the largest reach
  // (overlaps by merging the short lists), then those whose place is unknown
  // (no distance part: a tighter bound) through their own postings.
  if (!m.remote && m.hasPlace) {
    auto byMerge = [&](Slot slot) {
      const VolunteerRecord& v = s.volunteers[slot];
      // Before merging lists: out of the volunteer's own reach by latitude
      // alone (evaluate would exclude it), or unable to enter even with
      // every skill and cause.
      if (!v.alive || std::abs(m.lat - v.lat) * kKmPerDegree > v.reachKm ||
          !top.mayEnter(detail::upperBound(w, skillsTotal, skillsTotal, causesTotal, causesTotal,
                                           detail::feedbackPart(w, v), urgency))) {
        return;
      }
      if (v.hasPlace) {
        consider(slot, detail::overlap(m.skills(), v.skills(), nullptr),
                 detail::overlap(m.causes(), v.causes(), nullptr));
      }
    };
    if (s.visitCells(s.volunteersByCell, m.lat, m.lon, s.maxReachKm, byMerge)) {
      Weights noDistance = w;
      noDistance.distance = 0;
      boundWeights = &noDistance;
      rankByPostings(s.unplacedBySkill, s.unplacedByCause, [&](auto&& visit) {
        for (Slot slot : s.volunteersWithoutPlace) {
          visit(slot);
        }
      });
      return finish();
    }
  }

  // Elsewhere: everyone through the postings; people sharing nothing among
  // the speakers of a required language, or everyone.
  rankByPostings(s.volunteersBySkill, s.volunteersByCause, [&](auto&& visit) {
    if (!m.requiredLanguages().empty()) {
      const std::vector<Slot>* smallest = nullptr;
      for (int packed : m.requiredLanguages()) {
        auto found = s.volunteersByLanguage.find(detail::packedLanguage(packed));
        if (found == s.volunteersByLanguage.end()) {
          return;  // nobody speaks it: nobody passes
        }
        if (smallest == nullptr || found->second.size() < smallest->size()) {
          smallest = &found->second;
        }
      }
      for (Slot slot : *smallest) {
        visit(slot);
      }
      return;
    }
    for (Slot slot = 0; slot < s.volunteers.size(); ++slot) {
      visit(slot);
    }
  });
  return finish();
}

std::vector<Suggestion> Index::topMissionsFor(long long volunteerId, std::size_t k, const Weights& weights,
                                              long long now, const QueryOptions& options) const {
  const auto& s = *state_;
  std::shared_lock lock(s.mutex);
  auto vFound = s.volunteerSlots.find(volunteerId);
  if (k == 0 || vFound == s.volunteerSlots.end()) {
    return {};
  }
  const VolunteerRecord& v = s.volunteers[vFound->second];
  const Weights w = weights.sanitized();
  std::vector<long long> exclude = options.exclude;
  std::sort(exclude.begin(), exclude.end());
  const double feedback = detail::feedbackPart(w, v);

  TopK top(k);
  auto consider = [&](Slot slot, int skillsMatched, int causesMatched) {
    const MissionRecord& m = s.missions[slot];
    if (!m.alive || !m.open) {
      return;
    }
    double bound = detail::upperBound(w, skillsMatched, static_cast<int>(m.skills().size()), causesMatched,
                                      static_cast<int>(m.causes().size()), feedback, detail::urgencyPart(w, m, now));
    if (!top.mayEnter(bound)) {
      return;
    }
    if (options.associationId != 0 && m.associationId != options.associationId) {
      return;
    }
    if (!exclude.empty() && std::binary_search(exclude.begin(), exclude.end(), m.id)) {
      return;
    }
    Evaluation e;
    if (detail::evaluate(v, m, w, now, Direction::MissionsForVolunteer, skillsMatched, causesMatched, e)) {
      top.offer(e.score, m.id, slot);
    }
  };

  Scratch& counts = scratch();
  counts.prepare(s.missions.size());
  int maxSkills = 0;
  int maxCauses = 0;
  for (int skill : v.skills()) {
    if (auto found = s.missionsBySkill.find(skill); found != s.missionsBySkill.end()) {
      counts.count(found->second, counts.skills);
      ++maxSkills;
    }
  }
  for (int cause : v.causes()) {
    if (auto found = s.missionsByCause.find(cause); found != s.missionsByCause.end()) {
      counts.count(found->second, counts.causes);
      ++maxCauses;
    }
  }
  counts.order(maxSkills, maxCauses);
  for (Slot slot : counts.ordered) {
    consider(slot, counts.skills[slot], counts.causes[slot]);
  }
  // Missions sharing no skill and no cause: at most languages, availability,
  // distance, the volunteer's feedback and full urgency.
  double untouchedBound = w.languages + w.availability + w.distance + feedback + w.urgency;
  if (top.mayEnter(untouchedBound)) {
    auto visit = [&](Slot slot) {
      if (!counts.isTouched(slot)) {
        consider(slot, 0, 0);
      }
    };
    bool done = false;
    if (v.hasPlace) {
      done = s.visitCells(s.missionsByCell, v.lat, v.lon, v.reachKm, visit);
      if (done) {
        for (Slot slot : s.missionsRemote) {
          visit(slot);
        }
        for (Slot slot : s.missionsWithoutPlace) {
          visit(slot);
        }
      }
    }
    if (!done) {
      for (Slot slot = 0; slot < s.missions.size(); ++slot) {
        visit(slot);
      }
    }
  }
  counts.reset();

  std::vector<Suggestion> out;
  for (const auto& entry : std::move(top).sorted()) {
    const MissionRecord& m = s.missions[entry.slot];
    Evaluation e;
    detail::evaluate(v, m, w, now, Direction::MissionsForVolunteer, -1, -1, e);
    out.push_back(detail::explain(m.id, v, m, e));
  }
  return out;
}

std::optional<Suggestion> Index::scoreOf(long long volunteerId, long long missionId, const Weights& weights,
                                         long long now, Direction direction) const {
  const auto& s = *state_;
  std::shared_lock lock(s.mutex);
  auto vFound = s.volunteerSlots.find(volunteerId);
  auto mFound = s.missionSlots.find(missionId);
  if (vFound == s.volunteerSlots.end() || mFound == s.missionSlots.end()) {
    return std::nullopt;
  }
  const auto& v = s.volunteers[vFound->second];
  const auto& m = s.missions[mFound->second];
  Evaluation e;
  if (!detail::evaluate(v, m, weights.sanitized(), now, direction, -1, -1, e)) {
    return std::nullopt;
  }
  return detail::explain(direction == Direction::MissionsForVolunteer ? m.id : v.id, v, m, e);
}

void Index::recordExposure(long long volunteerId, long long now) {
  auto& s = *state_;
  std::unique_lock lock(s.mutex);
  auto found = s.volunteerSlots.find(volunteerId);
  if (found == s.volunteerSlots.end()) {
    return;
  }
  auto& v = s.volunteers[found->second];
  v.exposure = detail::decayedExposure(v.exposure, v.exposureAt, now) + 1.0;
  v.exposureAt = std::max(v.exposureAt, now);
}

double Index::exposureOf(long long volunteerId, long long now) const {
  const auto& s = *state_;
  std::shared_lock lock(s.mutex);
  auto found = s.volunteerSlots.find(volunteerId);
  if (found == s.volunteerSlots.end()) {
    return 0;
  }
  const auto& v = s.volunteers[found->second];
  return detail::decayedExposure(v.exposure, v.exposureAt, now);
}

Index::Size Index::size() const {
  const auto& s = *state_;
  std::shared_lock lock(s.mutex);
  return {s.volunteerSlots.size(), s.missionSlots.size()};
}

std::size_t Index::memoryBytes() const {
  const auto& s = *state_;
  std::shared_lock lock(s.mutex);
  std::size_t bytes = sizeof(State) + s.packedBytes;
  bytes += s.volunteers.capacity() * sizeof(VolunteerRecord) + s.missions.capacity() * sizeof(MissionRecord);
  bytes += (s.freeVolunteers.capacity() + s.freeMissions.capacity() + s.volunteersWithoutPlace.capacity() +
            s.missionsRemote.capacity() + s.missionsWithoutPlace.capacity()) *
           sizeof(Slot);
  bytes += idMapBytes(s.volunteerSlots) + idMapBytes(s.missionSlots) + idMapBytes(s.associationSlots);
  bytes += s.associationIds.capacity() * sizeof(long long);
  for (const Postings* postings :
       {&s.unplacedBySkill, &s.unplacedByCause, &s.volunteersBySkill, &s.volunteersByCause, &s.volunteersByLanguage,
        &s.volunteersByCell, &s.missionsBySkill, &s.missionsByCause, &s.missionsByCell}) {
    bytes += postingsBytes(*postings);
  }
  return bytes;
}

}  // namespace matching
