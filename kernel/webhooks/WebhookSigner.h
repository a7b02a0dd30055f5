#pragma once

#include <string>

namespace ruche::webhooks {

/// The three headers of one signed delivery (Standard Webhooks).
struct SignedHeaders {
  std::string id;         ///< webhook-id: the same on every retry of one message
  std::string timestamp;  ///< webhook-timestamp: unix seconds of this attempt
  std::string signature;  ///< webhook-signature: "v1,<base64 HMAC-SHA256>"
};

/// Signs outgoing webhooks as the Standard Webhooks specification says, so a
/// receiver verifies them with that specification's libraries: HMAC-SHA256,
/// keyed with the base64-decoded part of a "whsec_…" secret, over
/// "{webhook-id}.{webhook-timestamp}.{body}".
class WebhookSigner {
 public:
  /// Throws std::invalid_argument if `secret` is not "whsec_" + base64.
  explicit WebhookSigner(const std::string& secret);

  /// A new secret: "whsec_" + base64 of 24 random bytes.
  static std::string newSecret();

  /// "v1,<base64 signature>" of one message.
  std::string sign(const std::string& messageId, long long timestamp, const std::string& body) const;

  /// The headers of one attempt to send `body` as message `messageId`.
  SignedHeaders headers(const std::string& messageId, long long timestamp, const std::string& body) const;

 private:
  std::string key_;  ///< the raw HMAC key
};

/// Standard base64 (with padding), as the specification uses it.
std::string base64Encode(const std::string& bytes);
/// Decodes standard base64; throws std::invalid_argument on bad input.
std::string base64Decode(const std::string& text);

}  // namespace ruche::webhooks
