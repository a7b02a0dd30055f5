#pragma once

#include <string>

#include "kernel/storage/Database.h"

/// The sample federation `ruche demo` serves: three associations, about
/// thirty missions, fifty volunteers, applications and hours. Inserted with
/// plain SQL, in one transaction, so a demo is either all there or absent.
namespace ruche::cli {

/// The demo's federation admin; every demo account shares its password.
inline const std::string kDemoAdminEmail = "admin@demo.ruche.local";

/// How much the demo holds, printed at start and compared by tests.
struct DemoCounts {
  long long associations = 0;
  long long missions = 0;
  long long accounts = 0;
};

/// True when the demo's admin account exists in `db`.
bool demoSeeded(storage::Database& db);

/// Fills an empty database. `passwordHash` (argon2id, hashed once) is given
/// to every demo account. Mission dates are relative to today.
void seedDemo(storage::Database& db, const std::string& passwordHash);

/// Gives every demo account `passwordHash` (when the password file was lost).
void setDemoPasswords(storage::Database& db, const std::string& passwordHash);

DemoCounts demoCounts(storage::Database& db);

}  // namespace ruche::cli
