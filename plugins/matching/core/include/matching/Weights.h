#pragma once

namespace matching {

/// How much each signal weighs in a score: the most a signal adds (fairness:
/// the most it takes away). Plain doubles so a plugin's per-association
/// settings map onto them one to one; every factor is in 0..1, so a score is
/// at most the sum of the positive weights.
struct Weights {
  double skills = 3.0;        ///< share of the mission's skills the volunteer has
  double causes = 1.0;        ///< share of the mission's causes the volunteer cares about
  double languages = 1.0;     ///< share of the mission's languages (required and optional) spoken
  double availability = 2.0;  ///< share of the mission's hours the volunteer is free
  double distance = 1.5;      ///< closeness within the volunteer's reach, or remote fit
  double feedback = 1.0;      ///< past feedback (70 %) and completed missions (30 %, capped at 10)
  double urgency = 0.5;       ///< start soon (70 %, within 30 days) and places left (30 %, capped at 10)
  double fairness = 2.0;      ///< damping of volunteers shown often recently (exposure balancing)

  /// Negative weights make no sense (a setting typed wrong): clamped to 0.
  Weights sanitized() const;
};

}  // namespace matching
