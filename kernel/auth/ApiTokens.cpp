#include "kernel/auth/ApiTokens.h"

#include "kernel/auth/Secrets.h"
#include "kernel/auth/SessionStore.h"

namespace ruche::auth {

std::string ApiTokens::create(long long accountId, const std::string& name) {
  std::string token = "ruche_" + randomToken();
  std::string hash = hashToken(token);
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    sql << "INSERT INTO api_tokens (account_id, name, token_hash, created_at) VALUES (:a, :n, :h, :t)",
        soci::use(accountId), soci::use(name), soci::use(hash), soci::use(now);
  });
  return token;
}

std::optional<http::Visitor> ApiTokens::authenticate(const std::string& token) {
  if (token.rfind("ruche_", 0) != 0 || token.size() > 128) {
    return std::nullopt;
  }
  std::string hash = hashToken(token);
  storage::Database::Session session(db_);
  long long id = 0;
  long long accountId = 0;
  *session << "SELECT id, account_id FROM api_tokens WHERE token_hash = :h AND revoked_at IS NULL", soci::use(hash),
      soci::into(id), soci::into(accountId);
  if (!session->got_data()) {
    return std::nullopt;
  }
  auto visitor = loadVisitor(*session, accountId);
  if (visitor) {
    long long now = storage::nowSeconds();
    *session << "UPDATE api_tokens SET last_used_at = :t WHERE id = :id", soci::use(now), soci::use(id);
    visitor->viaApiToken = true;
  }
  return visitor;
}

bool ApiTokens::revoke(long long accountId, long long tokenId) {
  bool found = false;
  db_.transaction([&](soci::session& sql) {
    long long now = storage::nowSeconds();
    soci::statement st = (sql.prepare << "UPDATE api_tokens SET revoked_at = :t "
                                         "WHERE id = :id AND account_id = :a AND revoked_at IS NULL",
                          soci::use(now), soci::use(tokenId), soci::use(accountId));
    st.execute(true);
    found = st.get_affected_rows() > 0;
  });
  return found;
}

std::vector<ApiTokenInfo> ApiTokens::list(long long accountId) {
  storage::Database::Session session(db_);
  std::vector<ApiTokenInfo> tokens;
  ApiTokenInfo row;
  long long lastUsed = 0;
  long long revokedAt = 0;
  soci::indicator lastUsedInd = soci::i_ok;
  soci::indicator revokedInd = soci::i_ok;
  soci::statement st = (session->prepare << "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens "
                                            "WHERE account_id = :a ORDER BY id",
                        soci::use(accountId), soci::into(row.id), soci::into(row.name), soci::into(row.createdAt),
                        soci::into(lastUsed, lastUsedInd), soci::into(revokedAt, revokedInd));
  st.execute();
  while (st.fetch()) {
    row.lastUsedAt = lastUsedInd == soci::i_ok ? lastUsed : 0;
    row.revoked = revokedInd == soci::i_ok;
    tokens.push_back(row);
  }
  return tokens;
}

}  // namespace ruche::auth
