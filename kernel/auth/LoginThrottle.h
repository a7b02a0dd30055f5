#pragma once

#include <string>

#include "kernel/storage/Database.h"

namespace ruche::auth {

/// Counts failed logins per account and per IP in the database (shared by
/// every process). Checked *before* hashing, so a flood of guesses costs no
/// argon2 time once the limit is reached.
class LoginThrottle {
 public:
  static constexpr long long kWindowSeconds = 15 * 60;
  static constexpr int kMaxPerAccount = 5;
  static constexpr int kMaxPerIp = 30;

  explicit LoginThrottle(storage::Database& db) : db_(db) {}

  /// Seconds until a new attempt is allowed for this e-mail or IP; 0 if allowed.
  long long retryAfter(const std::string& email, const std::string& ip);
  void recordFailure(const std::string& email, const std::string& ip);
  void recordSuccess(const std::string& email);

 private:
  long long blockedFor(soci::session& sql, const std::string& key, int limit, long long now);
  void bump(soci::session& sql, const std::string& key, long long now);

  storage::Database& db_;
};

}  // namespace ruche::auth
