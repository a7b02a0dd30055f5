#pragma once

#include <optional>
#include <string>

#include "kernel/http/Request.h"
#include "kernel/storage/Database.h"

namespace ruche::auth {

/// A signed-in browser. Only the token's hash is stored.
struct SessionInfo {
  http::Visitor visitor;
  std::string csrfToken;
};

/// Sessions live in the database, so several processes can serve one user.
class SessionStore {
 public:
  static constexpr long long kLifetimeSeconds = 30LL * 24 * 3600;

  explicit SessionStore(storage::Database& db) : db_(db) {}

  /// Creates a session and returns its raw token (goes only into the cookie).
  std::string create(long long accountId);
  std::optional<SessionInfo> load(const std::string& token);
  void destroy(const std::string& token);
  void destroyAllFor(long long accountId);

 private:
  storage::Database& db_;
};

/// Loads the visitor of an account (display name, admin flag, …).
std::optional<http::Visitor> loadVisitor(soci::session& sql, long long accountId);

}  // namespace ruche::auth
