#include "kernel/auth/SessionStore.h"

#include "kernel/auth/Secrets.h"

namespace ruche::auth {

std::optional<http::Visitor> loadVisitor(soci::session& sql, long long accountId) {
  http::Visitor visitor;
  std::string email;
  std::string name;
  int admin = 0;
  long long verifiedAt = 0;
  soci::indicator emailInd = soci::i_ok;
  soci::indicator verifiedInd = soci::i_ok;
  sql << "SELECT email, display_name, federation_admin, email_verified_at FROM accounts "
         "WHERE id = :id AND deleted_at IS NULL",
      soci::use(accountId), soci::into(email, emailInd), soci::into(name), soci::into(admin),
      soci::into(verifiedAt, verifiedInd);
  if (!sql.got_data()) {
    return std::nullopt;
  }
  visitor.accountId = accountId;
  visitor.email = emailInd == soci::i_ok ? email : "";
  visitor.displayName = name;
  visitor.federationAdmin = admin != 0;
  visitor.emailVerified = verifiedInd == soci::i_ok;
  return visitor;
}

std::string SessionStore::create(long long accountId) {
  std::string token = randomToken();
  std::string hash = hashToken(token);
  std::string csrf = randomToken(24);
  long long now = storage::nowSeconds();
  long long expires = now + kLifetimeSeconds;
  db_.transaction([&](soci::session& sql) {
    sql << "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) "
           "VALUES (:h, :a, :c, :n, :n2, :e)",
        soci::use(hash), soci::use(accountId), soci::use(csrf), soci::use(now), soci::use(now), soci::use(expires);
  });
  return token;
}

std::optional<SessionInfo> SessionStore::load(const std::string& token) {
  if (token.empty() || token.size() > 128) {
    return std::nullopt;
  }
  std::string hash = hashToken(token);
  storage::Database::Session session(db_);
  soci::session& sql = *session;
  long long accountId = 0;
  long long expires = 0;
  long long lastSeen = 0;
  std::string csrf;
  sql << "SELECT account_id, csrf_token, expires_at, last_seen_at FROM sessions WHERE token_hash = :h", soci::use(hash),
      soci::into(accountId), soci::into(csrf), soci::into(expires), soci::into(lastSeen);
  long long now = storage::nowSeconds();
  if (!sql.got_data() || expires < now) {
    return std::nullopt;
  }
  auto visitor = loadVisitor(sql, accountId);
  if (!visitor) {
    return std::nullopt;
  }
  // Sliding expiry, written at most every ten minutes to spare the database.
  if (now - lastSeen > 600) {
    long long newExpiry = now + kLifetimeSeconds;
    sql << "UPDATE sessions SET last_seen_at = :n, expires_at = :e WHERE token_hash = :h", soci::use(now),
        soci::use(newExpiry), soci::use(hash);
  }
  return SessionInfo{*visitor, csrf};
}

void SessionStore::destroy(const std::string& token) {
  std::string hash = hashToken(token);
  db_.transaction([&](soci::session& sql) { sql << "DELETE FROM sessions WHERE token_hash = :h", soci::use(hash); });
}

void SessionStore::destroyAllFor(long long accountId) {
  db_.transaction(
      [&](soci::session& sql) { sql << "DELETE FROM sessions WHERE account_id = :a", soci::use(accountId); });
}

}  // namespace ruche::auth
