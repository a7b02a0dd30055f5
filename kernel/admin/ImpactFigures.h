#pragma once

#include <string>
#include <vector>

#include "kernel/storage/Database.h"

namespace ruche::admin {

/// One month of an association's impact.
struct ImpactMonth {
  std::string month;               ///< "YYYY-MM"
  long long activeVolunteers = 0;  ///< distinct people with validated hours on a day of the month
  double hours = 0;                ///< validated hours on days of the month
  long long placesFilled = 0;      ///< applications that became active in the month
  long long applications = 0;      ///< applications received in the month
  long long answeredInTime = 0;    ///< of those, answered by the association within the limit
  /// answeredInTime / applications in percent (0 when none came).
  double answeredShare() const {
    return applications == 0 ? 0.0 : 100.0 * static_cast<double>(answeredInTime) / static_cast<double>(applications);
  }
};

/// An application is answered in time when someone of the association moved
/// it out of "applied" within this many days.
inline constexpr long long kAnswerDays = 3;

/// The last `months` months of `associationId`'s impact, oldest first, the
/// last one being the month of `nowSeconds` in `timeZone`.
std::vector<ImpactMonth> impactByMonth(storage::Database& db, long long associationId, long long nowSeconds,
                                       const std::string& timeZone, int months = 12);

/// "YYYY-MM" of the `back`-th month before `month` ("2026-01", 1 → "2025-12").
std::string monthBefore(const std::string& month, int back);

}  // namespace ruche::admin
