#pragma once

#include "kernel/storage/Migration.h"

namespace ruche::domain {

/// The kernel's own numbered migrations (module "kernel").
const storage::ModuleMigrations& kernelMigrations();

}  // namespace ruche::domain
