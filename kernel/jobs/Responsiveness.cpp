#include "kernel/jobs/Responsiveness.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ruche::jobs {

std::optional<long long> median(std::vector<long long> values) {
  if (values.empty()) {
    return std::nullopt;
  }
  std::sort(values.begin(), values.end());
  std::size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) {
    return values[middle];
  }
  long long low = values[middle - 1];
  long long high = values[middle];
  return low + (high - low) / 2;
}

std::optional<long long> responsivenessSeconds(storage::Database& db, long long associationId) {
  std::vector<long long> delays;
  storage::Database::Session session(db);
  std::string none, withdrawn = "withdrawn";
  long long createdAt = 0, answeredAt = 0;
  // The first event leaving the initial one ('' → applied) that is not the volunteer withdrawing.
  soci::statement st =
      (session->prepare << "SELECT ap.created_at, MIN(e.at) FROM applications ap "
                           "JOIN missions m ON m.id = ap.mission_id "
                           "JOIN application_events e ON e.application_id = ap.id "
                           "WHERE m.association_id = :a AND e.from_status <> :none "
                           "AND e.to_status <> :w GROUP BY ap.id, ap.created_at",
       soci::use(associationId), soci::use(none), soci::use(withdrawn), soci::into(createdAt), soci::into(answeredAt));
  st.execute();
  while (st.fetch()) {
    delays.push_back(std::max(0LL, answeredAt - createdAt));
  }
  return median(std::move(delays));
}

std::optional<double> responsivenessHours(storage::Database& db, long long associationId) {
  auto seconds = responsivenessSeconds(db, associationId);
  if (!seconds) {
    return std::nullopt;
  }
  return std::round(static_cast<double>(*seconds) / 360.0) / 10.0;
}

}  // namespace ruche::jobs
