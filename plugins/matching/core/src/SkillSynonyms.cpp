#include "matching/SkillSynonyms.h"

#include <algorithm>

namespace matching {

void SkillSynonyms::add(int synonym, int canonical) {
  if (synonym != canonical) {
    canonical_[synonym] = canonical;
  }
}

int SkillSynonyms::canonical(int skill) const {
  // Follow chains, at most as many steps as entries (a cycle stops there).
  for (std::size_t steps = 0; steps <= canonical_.size(); ++steps) {
    auto found = canonical_.find(skill);
    if (found == canonical_.end()) {
      return skill;
    }
    skill = found->second;
  }
  return skill;
}

std::vector<int> SkillSynonyms::canonicalise(const std::vector<int>& skills) const {
  std::vector<int> out;
  out.reserve(skills.size());
  for (int skill : skills) {
    out.push_back(canonical(skill));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace matching
