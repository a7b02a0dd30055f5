#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "matching/WeekMask.h"

namespace matching::detail {

/// Up to four short sorted int lists in one allocation (an item's skills,
/// causes, languages, associations): a fraction of four std::vectors' size
/// when a million volunteers are held.
class PackedLists {
 public:
  static constexpr std::size_t kMax = 255;  ///< items kept per list (longer lists are cut)

  PackedLists() = default;
  /// Packs the lists (each already sorted; cut at kMax).
  explicit PackedLists(std::array<const std::vector<int>*, 4> lists);

  /// List `i` (0..3).
  std::span<const int> list(std::size_t i) const {
    std::size_t offset = 0;
    for (std::size_t j = 0; j < i; ++j) {
      offset += sizes_[j];
    }
    return {data_.get() + offset, sizes_[i]};
  }
  /// Heap bytes held.
  std::size_t heapBytes() const;

 private:
  std::unique_ptr<int[]> data_;
  std::array<std::uint8_t, 4> sizes_{};
};

/// A language and level packed in one int (language * 8 + level), so a
/// sorted list of them is sorted by language.
inline int packLanguage(int language, int level) {
  return language * 8 + (level < 1 ? 1 : (level > 5 ? 5 : level));
}
inline int packedLanguage(int packed) {
  return packed / 8;
}
inline int packedLevel(int packed) {
  return packed % 8;
}

/// A volunteer as the index holds it.
struct VolunteerRecord {
  long long id = 0;
  PackedLists lists;  ///< 0 skills (canonical), 1 causes, 2 languages (packed), 3 association slots
  WeekMask availability;
  double lat = 0;
  double lon = 0;
  double feedback = 0;
  double exposure = 0;       ///< decayed count of suggestions shown, as of exposureAt
  long long exposureAt = 0;  ///< epoch seconds
  int reachKm = 0;
  int completed = 0;
  bool hasPlace = false;
  bool remoteOk = true;
  bool alive = false;

  std::span<const int> skills() const { return lists.list(0); }
  std::span<const int> causes() const { return lists.list(1); }
  std::span<const int> languages() const { return lists.list(2); }
  std::span<const int> associations() const { return lists.list(3); }
};

/// A mission as the index holds it.
struct MissionRecord {
  long long id = 0;
  long long associationId = 0;
  PackedLists lists;  ///< 0 skills (canonical), 1 causes, 2 required languages (packed), 3 optional languages
  WeekMask schedule;
  double lat = 0;
  double lon = 0;
  long long startsAt = 0;
  int placesLeft = 0;
  int utcOffsetMinutes = 0;
  bool hasPlace = false;
  bool remote = false;
  bool open = false;
  bool alive = false;

  std::span<const int> skills() const { return lists.list(0); }
  std::span<const int> causes() const { return lists.list(1); }
  std::span<const int> requiredLanguages() const { return lists.list(2); }
  std::span<const int> optionalLanguages() const { return lists.list(3); }
};

}  // namespace matching::detail
