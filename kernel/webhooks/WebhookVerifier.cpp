#include "kernel/webhooks/WebhookVerifier.h"

#include <sstream>

#include "kernel/auth/Secrets.h"

namespace ruche::webhooks {

WebhookVerifier::WebhookVerifier(const std::string& secret, long long toleranceSeconds)
    : signer_(secret), toleranceSeconds_(toleranceSeconds) {}

Verdict WebhookVerifier::verify(const std::string& messageId, const std::string& timestampHeader,
                                const std::string& signatureHeader, const std::string& body, long long now) const {
  if (messageId.empty() || timestampHeader.empty() || timestampHeader.size() > 18 ||
      timestampHeader.find_first_not_of("0123456789") != std::string::npos) {
    return Verdict::Malformed;
  }
  long long timestamp = std::stoll(timestampHeader);
  if (timestamp < now - toleranceSeconds_ || timestamp > now + toleranceSeconds_) {
    return Verdict::StaleTimestamp;
  }
  std::string expected = signer_.sign(messageId, timestamp, body);
  std::istringstream entries(signatureHeader);
  std::string entry;
  bool matched = false;
  // Every entry is compared, so the time taken does not say which one matched.
  while (entries >> entry) {
    if (entry.rfind("v1,", 0) == 0 && auth::constantTimeEquals(entry, expected)) {
      matched = true;
    }
  }
  return matched ? Verdict::Valid : Verdict::BadSignature;
}

}  // namespace ruche::webhooks
