#include "kernel/mail/UnsubscribeTokens.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include "kernel/mail/NotificationPreferences.h"

namespace ruche::mail {
namespace {

constexpr const char* kSecretName = "unsubscribe";

std::string hex(const unsigned char* bytes, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.pop_back();
  return out;
}

std::string base64url(const unsigned char* bytes, std::size_t size) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, variant);
  out.resize(out.find('\0'));
  return out;
}

}  // namespace

const std::string& UnsubscribeTokens::secret() {
  if (!secret_.empty()) {
    return secret_;
  }
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium cannot start");
  }
  std::string name = kSecretName;
  auto load = [&] {
    storage::Database::Session session(db_);
    *session << "SELECT secret FROM mail_secrets WHERE name = :n", soci::use(name), soci::into(secret_);
    if (!session->got_data()) {
      secret_.clear();
    }
  };
  load();
  if (secret_.empty()) {
    std::vector<unsigned char> bytes(crypto_auth_hmacsha256_KEYBYTES);
    randombytes_buf(bytes.data(), bytes.size());
    std::string fresh = hex(bytes.data(), bytes.size());
    long long now = storage::nowSeconds();
    // Two processes may both create one: the first insert wins, both read it.
    db_.transaction([&](soci::session& sql) {
      sql << "INSERT INTO mail_secrets (name, secret, created_at) VALUES (:n, :s, :t) ON CONFLICT (name) DO NOTHING",
          soci::use(name), soci::use(fresh), soci::use(now);
    });
    load();
  }
  if (secret_.empty()) {
    throw std::runtime_error("no unsubscribe secret in mail_secrets");
  }
  return secret_;
}

std::string UnsubscribeTokens::mac(long long accountId, const std::string& kind) {
  const std::string& key = secret();
  std::string message = "unsubscribe:" + std::to_string(accountId) + ":" + kind;
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&state, out);
  return base64url(out, sizeof out);
}

std::string UnsubscribeTokens::issue(long long accountId, const std::string& kind) {
  if (kind != "all" && !isNotificationKind(kind)) {
    throw std::invalid_argument("unknown notification kind: " + kind);
  }
  return std::to_string(accountId) + "." + kind + "." + mac(accountId, kind);
}

std::optional<UnsubscribeTarget> UnsubscribeTokens::verify(const std::string& token) {
  if (token.empty() || token.size() > 200) {
    return std::nullopt;
  }
  auto first = token.find('.');
  auto second = first == std::string::npos ? std::string::npos : token.find('.', first + 1);
  if (first == 0 || second == std::string::npos) {
    return std::nullopt;
  }
  std::string number = token.substr(0, first);
  if (number.size() > 18 || number.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  UnsubscribeTarget target{std::stoll(number), token.substr(first + 1, second - first - 1)};
  if (target.kind != "all" && !isNotificationKind(target.kind)) {
    return std::nullopt;
  }
  std::string given = token.substr(second + 1);
  std::string expected = mac(target.accountId, target.kind);
  if (given.size() != expected.size() || sodium_memcmp(given.data(), expected.data(), given.size()) != 0) {
    return std::nullopt;
  }
  storage::Database::Session session(db_);
  long long found = 0;
  *session << "SELECT COUNT(*) FROM accounts WHERE id = :a AND deleted_at IS NULL", soci::use(target.accountId),
      soci::into(found);
  if (found == 0) {
    return std::nullopt;
  }
  return target;
}

}  // namespace ruche::mail
