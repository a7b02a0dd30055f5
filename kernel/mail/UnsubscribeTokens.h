#pragma once

#include <optional>
#include <string>

#include "kernel/storage/Database.h"

namespace ruche::mail {

/// What an unsubscribe link turns off: one kind, or "all".
struct UnsubscribeTarget {
  long long accountId = 0;
  std::string kind;  ///< a notification kind, or "all"
};

/// Unsubscribe links that need no sign-in. A token is
/// "<account id>.<kind>.<HMAC-SHA256>" (the MAC base64url, over
/// "unsubscribe:<account id>:<kind>") signed with a server secret kept in
/// mail_secrets, created on first use. Nothing per mail is stored, links do not
/// expire (mail clients keep List-Unsubscribe for a long time), and deleting
/// the mail_secrets row revokes every link at once.
class UnsubscribeTokens {
 public:
  explicit UnsubscribeTokens(storage::Database& db) : db_(db) {}

  /// `kind` is a notification kind or "all".
  std::string issue(long long accountId, const std::string& kind);
  /// The target when the token is well formed, correctly signed, names a known
  /// kind (or "all") and an account that still exists; else empty.
  std::optional<UnsubscribeTarget> verify(const std::string& token);

 private:
  const std::string& secret();
  std::string mac(long long accountId, const std::string& kind);

  storage::Database& db_;
  std::string secret_;
};

}  // namespace ruche::mail
