#pragma once

#include <string>

#include "kernel/storage/Database.h"

namespace ruche::auth {

/// Counts login attempts per account and per IP in the database (shared by
/// every process), *before* the password is checked: each attempt is counted
/// by one atomic upsert, so parallel guesses cannot slip past the limit, and
/// once it is reached no argon2 time is spent. A success takes its own
/// attempt back from both counters and clears the account's.
class LoginThrottle {
 public:
  static constexpr long long kWindowSeconds = 15 * 60;
  static constexpr int kMaxPerAccount = 5;
  static constexpr int kMaxPerIp = 30;

  explicit LoginThrottle(storage::Database& db) : db_(db) {}

  /// Counts this attempt; returns 0 if it may go on, else the seconds until
  /// the window of the exhausted counter ends.
  long long admit(const std::string& email, const std::string& ip);
  void recordSuccess(const std::string& email, const std::string& ip);

 private:
  storage::Database& db_;
};

}  // namespace ruche::auth
