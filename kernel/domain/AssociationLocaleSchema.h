#pragma once

#include "kernel/storage/Migration.h"

namespace ruche::domain {

/// Kernel migration: each association's default language and time zone,
/// used for visitors who chose none and whose browser names no language we
/// have (see themes::PreferencesMiddleware).
storage::Migration associationLocaleMigration();

}  // namespace ruche::domain
