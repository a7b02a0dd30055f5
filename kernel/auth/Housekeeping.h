#pragma once

#include "kernel/storage/Database.h"

namespace ruche::auth {

/// Deletes what has expired: sessions past their end, e-mail tokens used or
/// expired for a week, login counters whose window closed a day ago. Run at
/// start (and, once the event bus has scheduled jobs, daily). Returns rows removed.
long long purgeExpired(storage::Database& db);

}  // namespace ruche::auth
