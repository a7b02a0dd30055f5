#pragma once

#include <string>

#include "ruche/sdk/WebhookVerifier.h"

namespace ruche::webhooks {

/// Why a signed callback was accepted or refused.
enum class Verdict { Valid, Malformed, StaleTimestamp, BadSignature };

/// Checks an incoming Standard Webhooks callback (for the SDK: payment
/// providers and other services that sign what they send to Ruche).
/// The signature header may hold several space-separated "v1,…" entries
/// (during a secret rotation); one matching entry is enough. Entries of
/// other versions are ignored. Timestamps more than `toleranceSeconds` away
/// from now, in the past or the future, are refused: a captured request
/// cannot be replayed later. The work is the SDK's verifier (plugins use
/// the same one); this class keeps the kernel's verdicts.
class WebhookVerifier {
 public:
  /// Throws std::invalid_argument if `secret` is not "whsec_" + base64.
  explicit WebhookVerifier(const std::string& secret, long long toleranceSeconds = 300);

  /// `now` in unix seconds (a parameter so tests and callers choose the clock).
  Verdict verify(const std::string& messageId, const std::string& timestampHeader, const std::string& signatureHeader,
                 const std::string& body, long long now) const;

 private:
  sdk::WebhookVerifier verifier_;
};

}  // namespace ruche::webhooks
