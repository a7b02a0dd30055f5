#include "kernel/auth/LoginThrottle.h"

#include <algorithm>

namespace ruche::auth {
namespace {

// One statement counts the attempt and opens a new window when the old one is
// over; SET expressions see the old row on both SQLite and PostgreSQL.
long long countAttempt(soci::session& sql, const std::string& key, int limit, long long now) {
  long long window = LoginThrottle::kWindowSeconds;
  int attempts = 0;
  long long windowStart = 0;
  sql << "INSERT INTO login_attempts (throttle_key, window_start, failures) VALUES (:k, :now, 1) "
         "ON CONFLICT (throttle_key) DO UPDATE SET "
         "failures = CASE WHEN login_attempts.window_start + :w1 <= :now1 THEN 1 "
         "ELSE login_attempts.failures + 1 END, "
         "window_start = CASE WHEN login_attempts.window_start + :w2 <= :now2 THEN :now3 "
         "ELSE login_attempts.window_start END "
         "RETURNING failures, window_start",
      soci::use(key), soci::use(now), soci::use(window), soci::use(now), soci::use(window), soci::use(now),
      soci::use(now), soci::into(attempts), soci::into(windowStart);
  return attempts > limit ? windowStart + window - now : 0;
}

}  // namespace

long long LoginThrottle::admit(const std::string& email, const std::string& ip) {
  long long now = storage::nowSeconds();
  long long wait = 0;
  db_.transaction([&](soci::session& sql) {
    wait = std::max(countAttempt(sql, "account:" + email, kMaxPerAccount, now),
                    countAttempt(sql, "ip:" + ip, kMaxPerIp, now));
  });
  return wait;
}

void LoginThrottle::recordSuccess(const std::string& email, const std::string& ip) {
  std::string account = "account:" + email;
  std::string address = "ip:" + ip;
  db_.transaction([&](soci::session& sql) {
    sql << "DELETE FROM login_attempts WHERE throttle_key = :k", soci::use(account);
    sql << "UPDATE login_attempts SET failures = failures - 1 WHERE throttle_key = :k AND failures > 0",
        soci::use(address);
  });
}

}  // namespace ruche::auth
