#pragma once

#include <optional>
#include <string>

#include "kernel/auth/LoginThrottle.h"
#include "kernel/events/EventBus.h"
#include "kernel/mail/MailLayout.h"
#include "kernel/mail/Mailer.h"
#include "kernel/storage/Database.h"
#include "kernel/themes/Catalog.h"
#include "kernel/themes/Templates.h"

namespace ruche::auth {

struct NewAccount {
  std::string email;
  std::string password;
  std::string displayName;
  std::string locale = "fr";
};

/// Accounts: sign-up, e-mail verification, login, password reset. One
/// account per person for the whole federation.
class Accounts {
 public:
  static constexpr long long kVerifyLifetime = 3 * 24 * 3600;
  static constexpr long long kResetLifetime = 2 * 3600;

  /// With `events`, verification and reset mails go through the outbox: the
  /// change publishes "account.mail" ({account_id, purpose, locale}) in its
  /// transaction, and deliverMail() — the "mail.account" subscriber — issues
  /// the token and sends, retried by the bus. The raw token is thus never
  /// stored, not even in the outbox. Without (the CLI), mail is sent at once.
  /// With `templates`, each mail also has an HTML part in the theme's mail
  /// layout; without, plain text only.
  Accounts(storage::Database& db, mail::Mailer& mailer, const themes::Catalog& texts, std::string baseUrl,
           events::EventBus* events = nullptr, const themes::Templates* templates = nullptr)
      : db_(db), mailer_(mailer), texts_(texts), baseUrl_(std::move(baseUrl)), throttle_(db), events_(events) {
    if (templates != nullptr) {
      layout_.emplace(*templates, baseUrl_);
    }
  }

  /// Validates (422 with field errors), creates the account and its empty
  /// profile, and mails a verification link.
  long long signUp(const NewAccount& input);

  /// For the CLI and the demo: no mail, optionally verified, optional admin.
  /// `passwordHash` lets the demo reuse one hash for many accounts.
  long long create(const NewAccount& input, bool verified, bool federationAdmin, const std::string& passwordHash = "");

  /// Consumes a verification token; false if unknown, used or expired.
  bool verifyEmail(const std::string& token);
  void sendVerification(long long accountId);

  /// Always behaves the same whether the address exists or not.
  void requestPasswordReset(const std::string& email, const std::string& locale);
  /// 422 on a weak password, 400 on a bad or expired token. Ends all sessions.
  void resetPassword(const std::string& token, const std::string& newPassword);

  /// The account id on success. Throws 429 (with Retry-After) when throttled.
  std::optional<long long> authenticate(const std::string& email, const std::string& password, const std::string& ip);

  std::optional<long long> findByEmail(const std::string& email);

  /// Sends the mail of one "account.mail" event (a new token each attempt);
  /// throws when the SMTP server refuses, so the bus retries.
  void deliverMail(const events::Delivery& delivery);

 private:
  long long insert(const NewAccount& input, bool verified, bool federationAdmin, const std::string& passwordHash,
                   bool mailVerification);
  void publishMail(soci::session& sql, long long accountId, const std::string& purpose, const std::string& locale);
  std::string issueToken(soci::session& sql, long long accountId, const std::string& purpose, long long lifetime);
  std::optional<long long> consumeToken(soci::session& sql, const std::string& token, const std::string& purpose);
  void mail(const std::string& to, const std::string& locale, const std::string& key, const std::string& link,
            const std::string& name);

  storage::Database& db_;
  mail::Mailer& mailer_;
  const themes::Catalog& texts_;
  std::string baseUrl_;
  LoginThrottle throttle_;
  events::EventBus* events_;
  std::optional<mail::MailLayout> layout_;
};

}  // namespace ruche::auth
