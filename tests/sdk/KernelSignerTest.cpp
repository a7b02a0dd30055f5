#include <stdexcept>
#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "kernel/webhooks/WebhookSigner.h"
#include "kernel/webhooks/WebhookVerifier.h"
#include "ruche/sdk/WebhookVerifier.h"

using ruche::webhooks::WebhookSigner;

TEST_CASE("what the kernel's webhook signer signs, the SDK's verifier accepts") {
  std::string secret = WebhookSigner::newSecret();
  WebhookSigner signer(secret);
  ruche::sdk::WebhookVerifier verifier(secret);
  long long now = 1700000000;
  std::string body = R"({"type":"mission.published","data":{"id":7,"title":"Café"}})";
  auto h = signer.headers("msg_42", now, body);
  std::map<std::string, std::string> headers{
      {"webhook-id", h.id}, {"webhook-timestamp", h.timestamp}, {"webhook-signature", h.signature}};

  auto result = verifier.verify(headers, body, now + 10);
  CHECK(result.valid);
  CHECK(result.reason == "");
  CHECK(verifier.sign(h.id, now, body) == h.signature);
  CHECK(verifier.verify(headers, body + "x", now).reason == "no matching signature");
  CHECK(ruche::sdk::WebhookVerifier(WebhookSigner::newSecret()).verify(headers, body, now).reason ==
        "no matching signature");
}

TEST_CASE("the kernel's verifier gives the SDK verifier's outcomes as its verdicts") {
  using ruche::webhooks::Verdict;
  std::string secret = WebhookSigner::newSecret();
  ruche::sdk::WebhookVerifier sdkVerifier(secret);
  ruche::webhooks::WebhookVerifier kernelVerifier(secret);
  long long now = 1700000000;
  std::string body = "{}";
  std::string signature = sdkVerifier.sign("msg_1", now, body);
  std::string ts = std::to_string(now);
  CHECK(kernelVerifier.verify("msg_1", ts, signature, body, now) == Verdict::Valid);
  CHECK(kernelVerifier.verify("", ts, signature, body, now) == Verdict::Malformed);
  CHECK(kernelVerifier.verify("msg_1", "x1", signature, body, now) == Verdict::Malformed);
  CHECK(kernelVerifier.verify("msg_1", ts, signature, body, now + 301) == Verdict::StaleTimestamp);
  CHECK(kernelVerifier.verify("msg_1", ts, signature, body, now - 301) == Verdict::StaleTimestamp);
  CHECK(kernelVerifier.verify("msg_1", ts, "", body, now) == Verdict::BadSignature);
  CHECK(kernelVerifier.verify("msg_1", ts, signature, body + " ", now) == Verdict::BadSignature);
  CHECK_THROWS_AS(ruche::webhooks::WebhookVerifier(secret.substr(6)), std::invalid_argument);
}
