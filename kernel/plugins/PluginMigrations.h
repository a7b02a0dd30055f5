#pragma once

#include "kernel/plugins/Manifest.h"
#include "kernel/storage/DatabaseUrl.h"
#include "kernel/storage/Migration.h"

namespace ruche::plugins {

/// The migrations of a plugin, read from `<folder>/migrations/`:
/// `NNN_what.sql` for both backends, or `NNN_what.sqlite.sql` and
/// `NNN_what.postgresql.sql` where SQL differs (both must exist). Versions
/// are the numbers, without gaps from 1. Every table and index a migration
/// creates must be named "<plugin>_…". The module is "plugin:<name>".
/// Throws PluginError naming the file and the problem.
storage::ModuleMigrations pluginMigrations(const Manifest& manifest, storage::Backend backend);

}  // namespace ruche::plugins
