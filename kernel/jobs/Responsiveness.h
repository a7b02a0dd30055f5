#pragma once

#include <optional>
#include <vector>

#include "kernel/storage/Database.h"

namespace ruche::jobs {

/// The median of `values` (the mean of the two middle ones for an even
/// count, rounded down); nullopt when empty. Computed in C++ so it is the same
/// on SQLite, which has no median, and PostgreSQL.
std::optional<long long> median(std::vector<long long> values);

/// How quickly an association answers applications: the median, over its
/// applications that got an answer, of the seconds between the application
/// and the first transition the association made (any move out of 'applied'
/// recorded in application_events except the volunteer's own withdrawal).
/// nullopt when it has answered none yet.
std::optional<long long> responsivenessSeconds(storage::Database& db, long long associationId);

/// The same in hours, rounded to one decimal, as the page and the API show it.
std::optional<double> responsivenessHours(storage::Database& db, long long associationId);

}  // namespace ruche::jobs
