#pragma once

#include <algorithm>
#include <random>
#include <vector>

#include "matching/Model.h"

namespace matching::testing {

/// A small synthetic federation, the same for a given seed: volunteers and
/// missions around three towns, some remote, with skills, causes, languages
/// and weekly hours drawn so that every filter and every part of the score
/// is exercised.
class Generator {
 public:
  explicit Generator(unsigned seed) : random_(seed) {}

  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  double real(double low, double high) { return std::uniform_real_distribution<double>(low, high)(random_); }
  bool chance(double p) { return real(0, 1) < p; }

  std::vector<int> distinct(int count, int universe) {
    std::vector<int> out;
    while (static_cast<int>(out.size()) < count) {
      int value = uniform(0, universe - 1);
      if (std::find(out.begin(), out.end(), value) == out.end()) {
        out.push_back(value);
      }
    }
    return out;
  }

  GeoPoint place() {
    static const GeoPoint kTowns[] = {{48.85, 2.35}, {45.76, 4.84}, {48.90, 2.60}};
    const auto& town = kTowns[uniform(0, 2)];
    return {town.lat + real(-0.2, 0.2), town.lon + real(-0.2, 0.2)};
  }

  WeekMask hours(int slots) {
    WeekMask mask;
    for (int i = 0; i < slots; ++i) {
      int day = uniform(0, 6);
      int start = uniform(6, 20) * 60;
      mask |= WeekMask::fromLocalSlot(day, start, start + uniform(1, 4) * 60, 60);
    }
    return mask;
  }

  Volunteer volunteer(long long id) {
    Volunteer v;
    v.id = id;
    v.skills = distinct(uniform(0, 5), kSkills);
    v.causes = distinct(uniform(0, 3), kCauses);
    for (int language : distinct(uniform(1, 3), kLanguages)) {
      v.languages.push_back({language, uniform(1, 5)});
    }
    v.availability = chance(0.15) ? WeekMask{} : hours(uniform(1, 6));
    if (!chance(0.1)) {
      v.place = place();
    }
    v.maxDistanceKm = chance(0.2) ? 0 : uniform(5, 40);
    v.remoteOk = chance(0.7);
    v.feedback = chance(0.3) ? 0.0 : real(1, 5);
    v.completedMissions = uniform(0, 15);
    v.associations = {uniform(1, 4)};
    if (chance(0.2)) {
      v.associations.push_back(uniform(5, 6));
    }
    return v;
  }

  Mission mission(long long id, long long now) {
    Mission m;
    m.id = id;
    m.associationId = uniform(1, 6);
    m.skills = distinct(uniform(0, 4), kSkills);
    m.causes = distinct(uniform(0, 2), kCauses);
    for (int language : distinct(chance(0.3) ? 1 : 0, kLanguages)) {
      m.requiredLanguages.push_back({language, uniform(1, 4)});
    }
    m.optionalLanguages = distinct(uniform(0, 2), kLanguages);
    m.schedule = chance(0.25) ? WeekMask{} : hours(uniform(1, 4));
    m.utcOffsetMinutes = 60;
    m.remote = chance(0.25);
    if (!m.remote || chance(0.5)) {
      if (!chance(0.1)) {
        m.place = place();
      }
    }
    m.startsAt = chance(0.1) ? 0 : now + uniform(-5, 60) * 86400LL;
    m.placesLeft = chance(0.05) ? 0 : uniform(1, 12);
    m.open = !chance(0.05);
    return m;
  }

  static constexpr int kSkills = 20;
  static constexpr int kCauses = 8;
  static constexpr int kLanguages = 5;

 private:
  std::mt19937 random_;
};

}  // namespace matching::testing
