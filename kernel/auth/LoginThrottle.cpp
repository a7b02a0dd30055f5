#include "kernel/auth/LoginThrottle.h"

#include <algorithm>

namespace ruche::auth {

long long LoginThrottle::blockedFor(soci::session& sql, const std::string& key, int limit, long long now) {
  long long windowStart = 0;
  int failures = 0;
  sql << "SELECT window_start, failures FROM login_attempts WHERE throttle_key = :k", soci::use(key),
      soci::into(windowStart), soci::into(failures);
  if (!sql.got_data() || windowStart + kWindowSeconds <= now || failures < limit) {
    return 0;
  }
  return windowStart + kWindowSeconds - now;
}

void LoginThrottle::bump(soci::session& sql, const std::string& key, long long now) {
  long long windowStart = 0;
  int failures = 0;
  sql << "SELECT window_start, failures FROM login_attempts WHERE throttle_key = :k", soci::use(key),
      soci::into(windowStart), soci::into(failures);
  if (!sql.got_data()) {
    sql << "INSERT INTO login_attempts (throttle_key, window_start, failures) VALUES (:k, :t, 1)", soci::use(key),
        soci::use(now);
  } else if (windowStart + kWindowSeconds <= now) {
    sql << "UPDATE login_attempts SET window_start = :t, failures = 1 WHERE throttle_key = :k", soci::use(now),
        soci::use(key);
  } else {
    sql << "UPDATE login_attempts SET failures = failures + 1 WHERE throttle_key = :k", soci::use(key);
  }
}

long long LoginThrottle::retryAfter(const std::string& email, const std::string& ip) {
  storage::Database::Session session(db_);
  long long now = storage::nowSeconds();
  return std::max(blockedFor(*session, "account:" + email, kMaxPerAccount, now),
                  blockedFor(*session, "ip:" + ip, kMaxPerIp, now));
}

void LoginThrottle::recordFailure(const std::string& email, const std::string& ip) {
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    bump(sql, "account:" + email, now);
    bump(sql, "ip:" + ip, now);
  });
}

void LoginThrottle::recordSuccess(const std::string& email) {
  std::string key = "account:" + email;
  db_.transaction(
      [&](soci::session& sql) { sql << "DELETE FROM login_attempts WHERE throttle_key = :k", soci::use(key); });
}

}  // namespace ruche::auth
