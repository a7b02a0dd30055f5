#include "kernel/webhooks/WebhookVerifier.h"

#include <stdexcept>

namespace ruche::webhooks {
namespace {

/// The kernel's secrets always carry the prefix; the SDK's verifier also
/// takes plain base64 (what some providers hand out), the kernel does not.
const std::string& requirePrefix(const std::string& secret) {
  if (secret.rfind("whsec_", 0) != 0) {
    throw std::invalid_argument("a webhook secret starts with whsec_");
  }
  return secret;
}

}  // namespace

WebhookVerifier::WebhookVerifier(const std::string& secret, long long toleranceSeconds)
    : verifier_(requirePrefix(secret), toleranceSeconds) {}

Verdict WebhookVerifier::verify(const std::string& messageId, const std::string& timestampHeader,
                                const std::string& signatureHeader, const std::string& body, long long now) const {
  auto result = verifier_.verify(
      {{"webhook-id", messageId}, {"webhook-timestamp", timestampHeader}, {"webhook-signature", signatureHeader}}, body,
      now);
  if (result.valid) {
    return Verdict::Valid;
  }
  // The SDK's reasons are part of its documented interface (sdk tests).
  if (result.reason == "timestamp too old" || result.reason == "timestamp in the future") {
    return Verdict::StaleTimestamp;
  }
  if (result.reason == "missing webhook-id header" || result.reason == "missing webhook-timestamp header" ||
      result.reason == "malformed timestamp") {
    return Verdict::Malformed;
  }
  // No signature at all is as bad as a wrong one.
  return Verdict::BadSignature;
}

}  // namespace ruche::webhooks
