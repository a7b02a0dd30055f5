#pragma once

#include "kernel/storage/Migration.h"

namespace ruche::mail {

/// The "mail" module migrations: notification_preferences (one row per
/// account and kind turned on or off; no row means on), mail_secrets (the
/// server secret that signs unsubscribe links) and mail_sent (which recipient
/// already got the mail of a delivery, so a retry does not mail them twice).
const storage::ModuleMigrations& mailMigrations();

}  // namespace ruche::mail
