#pragma once

#include <string>

namespace ruche::sdk {

/// One message a plugin sends (a confirmation link, an update to those who
/// consented). Queued through the kernel's outbox in the caller's
/// transaction, then sent over SMTP with retries: nothing is mailed for a
/// change that rolled back.
struct Mail {
  std::string to;
  std::string subject;
  std::string text;  ///< plain text body, always present
  std::string html;  ///< optional HTML alternative
  /// Where the recipient stops these mails: the kernel adds it as a footer
  /// line and as the List-Unsubscribe header. Required for anything but a
  /// message the person just asked for (a confirmation link).
  std::string unsubscribeUrl;
};

}  // namespace ruche::sdk
