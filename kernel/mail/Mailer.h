#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kernel/config/Settings.h"

namespace Poco::Net {
class MailMessage;
class SMTPClientSession;
}  // namespace Poco::Net

namespace ruche::mail {

/// One message: plain text, with an optional HTML alternative.
struct OutgoingMail {
  std::string to;
  std::string subject;
  std::string body;  ///< the plain-text part (UTF-8); always sent
  /// The HTML alternative (UTF-8, a whole document). When set, the mail is
  /// multipart/alternative: `body` as text/plain first, then this as text/html.
  std::optional<std::string> html;
  /// Extra headers, e.g. {"List-Unsubscribe", "<https://…>"} (RFC 2369).
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Sends mail over the configured SMTP server. With no smtp.host the message
/// is written to the log instead, so a demo without mail still shows links.
/// Notifications reach it through the outbox (Notifications.h), which retries.
class Mailer {
 public:
  explicit Mailer(config::SmtpSettings settings) : settings_(std::move(settings)) {}
  virtual ~Mailer() = default;

  /// Throws std::runtime_error with the SMTP server's answer on failure.
  virtual void send(const OutgoingMail& mail);

  /// Sends `mails` over one SMTP session. Returns one entry per mail: empty
  /// when the server accepted it, else why not (a refused recipient does not
  /// stop the others; no session at all fails them all). Mails not begun by
  /// `deadline` are not tried (their entry says so). Never throws for a
  /// mail's failure.
  virtual std::vector<std::string> sendAll(
      const std::vector<OutgoingMail>& mails,
      std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());

  /// Opens a connection and says hello (no login), each wait bounded by
  /// kSmtpTimeoutSeconds: used by `ruche doctor`.
  void check();

  bool enabled() const { return !settings_.host.empty(); }

  /// The longest wait for the SMTP server: to connect, and for each answer.
  static constexpr int kSmtpTimeoutSeconds = 15;

 private:
  std::unique_ptr<Poco::Net::MailMessage> message(const OutgoingMail& mail) const;
  /// Connected, before any command; every wait bounded (kSmtpTimeoutSeconds).
  std::unique_ptr<Poco::Net::SMTPClientSession> connect() const;
  /// Connected and logged in (with smtp.user's credentials if set).
  std::unique_ptr<Poco::Net::SMTPClientSession> openSession() const;
  std::string failure(const std::string& what) const;

  config::SmtpSettings settings_;
};

}  // namespace ruche::mail
