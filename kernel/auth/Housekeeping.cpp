#include "kernel/auth/Housekeeping.h"

namespace ruche::auth {

long long purgeExpired(storage::Database& db) {
  long long now = storage::nowSeconds();
  long long weekAgo = now - 7 * 24 * 3600;
  long long dayAgo = now - 24 * 3600;
  long long removed = 0;
  db.transaction([&](soci::session& sql) {
    auto run = [&](soci::statement st) {
      st.execute(true);
      removed += st.get_affected_rows();
    };
    run((sql.prepare << "DELETE FROM sessions WHERE expires_at < :t", soci::use(now)));
    run((sql.prepare << "DELETE FROM email_tokens WHERE expires_at < :t OR used_at < :t2", soci::use(weekAgo),
         soci::use(weekAgo)));
    run((sql.prepare << "DELETE FROM login_attempts WHERE window_start < :t", soci::use(dayAgo)));
  });
  return removed;
}

}  // namespace ruche::auth
