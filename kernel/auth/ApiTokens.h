#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/http/Request.h"
#include "kernel/storage/Database.h"

namespace ruche::auth {

struct ApiTokenInfo {
  long long id = 0;
  std::string name;
  long long createdAt = 0;
  long long lastUsedAt = 0;
  bool revoked = false;
};

/// Personal API tokens for /api/v1, sent as "Authorization: Bearer …".
/// Stored hashed; shown once at creation; revocable.
class ApiTokens {
 public:
  explicit ApiTokens(storage::Database& db) : db_(db) {}

  /// Returns the raw token ("ruche_" + random); only its hash is kept.
  std::string create(long long accountId, const std::string& name);
  std::optional<http::Visitor> authenticate(const std::string& token);
  /// Revokes a token of this account; false if there is none with that id.
  bool revoke(long long accountId, long long tokenId);
  std::vector<ApiTokenInfo> list(long long accountId);

 private:
  storage::Database& db_;
};

}  // namespace ruche::auth
