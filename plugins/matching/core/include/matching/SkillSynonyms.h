#pragma once

#include <unordered_map>
#include <vector>

namespace matching {

/// The federation's skill taxonomy as the index needs it: every skill id maps
/// to its canonical id ("cuisine" and "restauration collective" → one id), so
/// overlap counts a synonym as the same skill. Built by the caller from the
/// taxonomy; ids without an entry are their own canonical id.
class SkillSynonyms {
 public:
  /// Declares `synonym` a synonym of `canonical` (chains are followed: a→b, b→c gives a→c).
  void add(int synonym, int canonical);
  /// The canonical id of `skill`.
  int canonical(int skill) const;
  /// The canonical ids of `skills`, sorted, without duplicates.
  std::vector<int> canonicalise(const std::vector<int>& skills) const;

 private:
  std::unordered_map<int, int> canonical_;
};

}  // namespace matching
