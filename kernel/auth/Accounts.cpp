#include "kernel/auth/Accounts.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include "kernel/auth/Secrets.h"
#include "kernel/events/Payload.h"
#include "kernel/http/HttpError.h"
#include "kernel/http/Validator.h"

namespace ruche::auth {
namespace {

std::string normalisedEmail(const std::string& email) {
  http::Validator v;
  return v.email("email", email);
}

std::string fill(std::string text, const std::string& name, const std::string& link) {
  for (auto [from, to] : {std::pair<std::string, std::string>{"{name}", name}, {"{link}", link}}) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
      text.replace(pos, from.size(), to);
    }
  }
  return text;
}

}  // namespace

long long Accounts::create(const NewAccount& input, bool verified, bool federationAdmin,
                           const std::string& passwordHash) {
  return insert(input, verified, federationAdmin, passwordHash, false);
}

long long Accounts::insert(const NewAccount& input, bool verified, bool federationAdmin,
                           const std::string& passwordHash, bool mailVerification) {
  http::Validator v;
  std::string email = v.email("email", input.email);
  std::string name = v.text("display_name", input.displayName, 1, 80);
  std::string locale = v.oneOf("locale", input.locale, {"fr", "en"});
  if (passwordHash.empty()) {
    v.password("password", input.password);
  }
  v.check();
  if (findByEmail(email)) {
    throw http::unprocessable({{"email", "is already used by an account", "email_taken"}});
  }
  std::string hash = passwordHash.empty() ? hashPassword(input.password) : passwordHash;
  long long now = storage::nowSeconds();
  long long id = 0;
  int admin = federationAdmin ? 1 : 0;
  db_.transaction([&](soci::session& sql) {
    soci::indicator verifiedInd = verified ? soci::i_ok : soci::i_null;
    sql << "INSERT INTO accounts (email, password_hash, display_name, email_verified_at, federation_admin, locale, "
           "created_at) VALUES (:e, :h, :n, :v, :a, :l, :t) RETURNING id",
        soci::use(email), soci::use(hash), soci::use(name), soci::use(now, verifiedInd), soci::use(admin),
        soci::use(locale), soci::use(now), soci::into(id);
    sql << "INSERT INTO profiles (account_id, updated_at) VALUES (:a, :t)", soci::use(id), soci::use(now);
    if (mailVerification && events_ != nullptr) {
      publishMail(sql, id, "verify", "");
    }
  });
  return id;
}

void Accounts::publishMail(soci::session& sql, long long accountId, const std::string& purpose,
                           const std::string& locale) {
  events_->publish(sql, "account.mail", 0,
                   events::Payload().set("account_id", accountId).set("purpose", purpose).set("locale", locale).json());
}

void Accounts::deliverMail(const events::Delivery& delivery) {
  auto payload = Poco::JSON::Parser().parse(delivery.event.payload).extract<Poco::JSON::Object::Ptr>();
  long long accountId = payload->getValue<long long>("account_id");
  std::string purpose = payload->getValue<std::string>("purpose");
  std::string locale = payload->has("locale") ? payload->getValue<std::string>("locale") : std::string();
  if (purpose != "verify" && purpose != "reset") {
    throw std::invalid_argument("unknown account mail purpose: " + purpose);
  }
  std::string email;
  std::string name;
  std::string accountLocale;
  std::string token;
  bool send = false;
  db_.transaction([&](soci::session& sql) {
    soci::indicator verifiedInd = soci::i_null;
    long long verifiedAt = 0;
    sql << "SELECT email, display_name, locale, email_verified_at FROM accounts WHERE id = :id AND deleted_at IS NULL",
        soci::use(accountId), soci::into(email), soci::into(name), soci::into(accountLocale),
        soci::into(verifiedAt, verifiedInd);
    // A deleted account, or an address verified meanwhile: nothing to send.
    if (!sql.got_data() || (purpose == "verify" && verifiedInd == soci::i_ok)) {
      return;
    }
    token = issueToken(sql, accountId, purpose, purpose == "verify" ? kVerifyLifetime : kResetLifetime);
    send = true;
  });
  if (send) {
    mail(email, locale.empty() ? accountLocale : locale, purpose, baseUrl_ + "/" + purpose + "?token=" + token, name);
  }
}

long long Accounts::signUp(const NewAccount& input) {
  long long id = insert(input, false, false, "", true);
  if (events_ != nullptr) {
    return id;
  }
  try {
    sendVerification(id);
  } catch (const std::exception& e) {
    // The account exists; the person can ask for the mail again from /me.
    Poco::Logger::get("ruche.auth").error("verification mail not sent: %s", std::string(e.what()));
  }
  return id;
}

std::string Accounts::issueToken(soci::session& sql, long long accountId, const std::string& purpose,
                                 long long lifetime) {
  std::string token = randomToken();
  std::string hash = hashToken(token);
  long long expires = storage::nowSeconds() + lifetime;
  sql << "INSERT INTO email_tokens (token_hash, account_id, purpose, expires_at) VALUES (:h, :a, :p, :e)",
      soci::use(hash), soci::use(accountId), soci::use(purpose), soci::use(expires);
  return token;
}

std::optional<long long> Accounts::consumeToken(soci::session& sql, const std::string& token,
                                                const std::string& purpose) {
  if (token.empty() || token.size() > 128) {
    return std::nullopt;
  }
  std::string hash = hashToken(token);
  long long accountId = 0;
  long long expires = 0;
  long long usedAt = 0;
  soci::indicator usedInd = soci::i_null;
  sql << "SELECT account_id, expires_at, used_at FROM email_tokens WHERE token_hash = :h AND purpose = :p",
      soci::use(hash), soci::use(purpose), soci::into(accountId), soci::into(expires), soci::into(usedAt, usedInd);
  long long now = storage::nowSeconds();
  if (!sql.got_data() || usedInd == soci::i_ok || expires < now) {
    return std::nullopt;
  }
  // Only the first of two concurrent uses marks the token: the other changes
  // no row and is refused.
  soci::statement mark =
      (sql.prepare << "UPDATE email_tokens SET used_at = :t WHERE token_hash = :h AND used_at IS NULL", soci::use(now),
       soci::use(hash));
  mark.execute(true);
  if (mark.get_affected_rows() != 1) {
    return std::nullopt;
  }
  return accountId;
}

void Accounts::mail(const std::string& to, const std::string& locale, const std::string& key, const std::string& link,
                    const std::string& name) {
  mail::OutgoingMail message;
  message.to = to;
  message.subject = texts_.text(locale, "mail." + key + ".subject");
  message.body = fill(texts_.text(locale, "mail." + key + ".body"), name, link);
  if (layout_) {
    mail::MailFooter footer;
    footer.reason = texts_.text(locale, "mail.layout.reason_account");  // always sent: nothing to unsubscribe from
    message.html = layout_->render(locale, message.subject, message.body, footer);
  }
  mailer_.send(message);
}

void Accounts::sendVerification(long long accountId) {
  if (events_ != nullptr) {
    db_.transaction([&](soci::session& sql) { publishMail(sql, accountId, "verify", ""); });
    return;
  }
  std::string email;
  std::string name;
  std::string locale;
  std::string token;
  db_.transaction([&](soci::session& sql) {
    sql << "SELECT email, display_name, locale FROM accounts WHERE id = :id", soci::use(accountId), soci::into(email),
        soci::into(name), soci::into(locale);
    token = issueToken(sql, accountId, "verify", kVerifyLifetime);
  });
  mail(email, locale, "verify", baseUrl_ + "/verify?token=" + token, name);
}

bool Accounts::verifyEmail(const std::string& token) {
  bool ok = false;
  db_.transaction([&](soci::session& sql) {
    auto accountId = consumeToken(sql, token, "verify");
    if (accountId) {
      long long now = storage::nowSeconds();
      sql << "UPDATE accounts SET email_verified_at = :t WHERE id = :id AND email_verified_at IS NULL", soci::use(now),
          soci::use(*accountId);
      ok = true;
    }
  });
  return ok;
}

void Accounts::requestPasswordReset(const std::string& rawEmail, const std::string& locale) {
  std::string email = normalisedEmail(rawEmail);
  auto accountId = findByEmail(email);
  if (!accountId) {
    Poco::Logger::get("ruche.auth").information("password reset asked for an unknown address");
    return;
  }
  if (events_ != nullptr) {
    db_.transaction([&](soci::session& sql) { publishMail(sql, *accountId, "reset", locale); });
    return;
  }
  std::string token;
  std::string name;
  db_.transaction([&](soci::session& sql) {
    sql << "SELECT display_name FROM accounts WHERE id = :id", soci::use(*accountId), soci::into(name);
    token = issueToken(sql, *accountId, "reset", kResetLifetime);
  });
  try {
    mail(email, locale, "reset", baseUrl_ + "/reset?token=" + token, name);
  } catch (const std::exception& e) {
    // The answer must not depend on the address: log, do not tell.
    Poco::Logger::get("ruche.auth").error("password reset mail not sent: %s", std::string(e.what()));
  }
}

void Accounts::resetPassword(const std::string& token, const std::string& newPassword) {
  http::Validator v;
  v.password("password", newPassword);
  v.check();
  std::string hash = hashPassword(newPassword);
  bool ok = false;
  db_.transaction([&](soci::session& sql) {
    auto accountId = consumeToken(sql, token, "reset");
    if (!accountId) {
      return;
    }
    sql << "UPDATE accounts SET password_hash = :h WHERE id = :id", soci::use(hash), soci::use(*accountId);
    // A reset is what someone does when the account may be in other hands:
    // end every way in that the old password could have opened.
    long long now = storage::nowSeconds();
    sql << "DELETE FROM sessions WHERE account_id = :id", soci::use(*accountId);
    sql << "UPDATE api_tokens SET revoked_at = :t WHERE account_id = :id AND revoked_at IS NULL", soci::use(now),
        soci::use(*accountId);
    sql << "UPDATE email_tokens SET used_at = :t WHERE account_id = :id AND purpose = 'reset' AND used_at IS NULL",
        soci::use(now), soci::use(*accountId);
    ok = true;
  });
  if (!ok) {
    throw http::badRequest("This reset link is invalid or has expired. Ask for a new one.");
  }
}

std::optional<long long> Accounts::findByEmail(const std::string& email) {
  storage::Database::Session session(db_);
  long long id = 0;
  *session << "SELECT id FROM accounts WHERE email = :e AND deleted_at IS NULL", soci::use(email), soci::into(id);
  if (!session->got_data()) {
    return std::nullopt;
  }
  return id;
}

std::optional<long long> Accounts::authenticate(const std::string& rawEmail, const std::string& password,
                                                const std::string& ip) {
  std::string email = normalisedEmail(rawEmail);
  long long wait = throttle_.admit(email, ip);
  if (wait > 0) {
    http::HttpError error(429, "Too Many Requests",
                          "Too many failed attempts. Try again in " + std::to_string((wait + 59) / 60) + " minutes.");
    error.headers.emplace_back("Retry-After", std::to_string(wait));
    throw error;
  }
  std::string hash;
  long long id = 0;
  {
    storage::Database::Session session(db_);
    soci::indicator hashInd = soci::i_null;
    *session << "SELECT id, password_hash FROM accounts WHERE email = :e AND deleted_at IS NULL", soci::use(email),
        soci::into(id), soci::into(hash, hashInd);
    if (!session->got_data() || hashInd != soci::i_ok) {
      hash.clear();
    }
  }
  if (hash.empty()) {
    // Spend the same argon2 time for an unknown address, so response times
    // do not tell which addresses have an account.
    static const std::string dummy = hashPassword(randomToken());
    verifyPassword(password, dummy);
  }
  if (hash.empty() || !verifyPassword(password, hash)) {
    return std::nullopt;
  }
  throttle_.recordSuccess(email, ip);
  return id;
}

}  // namespace ruche::auth
