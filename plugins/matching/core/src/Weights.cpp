#include "matching/Weights.h"

#include <algorithm>
#include <cmath>

namespace matching {

Weights Weights::sanitized() const {
  auto clamp = [](double value) { return std::isfinite(value) ? std::max(0.0, value) : 0.0; };
  Weights out;
  out.skills = clamp(skills);
  out.causes = clamp(causes);
  out.languages = clamp(languages);
  out.availability = clamp(availability);
  out.distance = clamp(distance);
  out.feedback = clamp(feedback);
  out.urgency = clamp(urgency);
  out.fairness = clamp(fairness);
  return out;
}

}  // namespace matching
