#pragma once

#include <map>
#include <string>

namespace ruche::sdk {

/// Verifies a signed callback the Standard Webhooks way (standardwebhooks.com):
/// headers `webhook-id`, `webhook-timestamp` (seconds) and `webhook-signature`
/// ("v1,<base64 HMAC-SHA256 of id.timestamp.body>", several separated by
/// spaces during a key rotation), with a secret "whsec_<base64 key>".
/// Payment providers that follow the specification call back this way.
class WebhookVerifier {
 public:
  /// Throws std::invalid_argument when the secret is not "whsec_<base64>"
  /// (or plain base64).
  explicit WebhookVerifier(const std::string& secret, long long toleranceSeconds = 300);

  /// The outcome, with a reason an admin can read in the log.
  struct Result {
    bool valid = false;
    std::string reason;  ///< "" when valid; e.g. "timestamp too old"
  };

  /// `headers` by lower-case name; `now` in seconds since the epoch.
  Result verify(const std::map<std::string, std::string>& headers, const std::string& body, long long now) const;

  /// The signature header value for a message: what a sender puts in
  /// `webhook-signature` (used by tests and by Ruche's own webhooks).
  std::string sign(const std::string& id, long long timestamp, const std::string& body) const;

 private:
  std::string key_;
  long long tolerance_;
};

}  // namespace ruche::sdk
