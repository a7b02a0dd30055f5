#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "ruche/sdk/WebhookVerifier.h"

using ruche::sdk::WebhookVerifier;

namespace {

/// The example published with the Standard Webhooks specification.
const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const long long kTimestamp = 1614265330;
const std::string kBody = R"({"test": 2432232314})";
const std::string kSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

std::map<std::string, std::string> headers(const std::string& id, const std::string& timestamp,
                                           const std::string& signature) {
  std::map<std::string, std::string> h;
  if (!id.empty()) {
    h["webhook-id"] = id;
  }
  if (!timestamp.empty()) {
    h["webhook-timestamp"] = timestamp;
  }
  if (!signature.empty()) {
    h["webhook-signature"] = signature;
  }
  return h;
}

std::string reason(const WebhookVerifier::Result& result) {
  return result.valid ? "valid" : result.reason;
}

}  // namespace

TEST_CASE("the verifier signs the specification's published example the same way") {
  WebhookVerifier verifier(kSecret);
  CHECK(verifier.sign(kId, kTimestamp, kBody) == kSignature);
  // The same key given as plain base64.
  CHECK(WebhookVerifier("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign(kId, kTimestamp, kBody) == kSignature);
}

TEST_CASE("a correctly signed callback is valid") {
  WebhookVerifier verifier(kSecret);
  auto result = verifier.verify(headers(kId, std::to_string(kTimestamp), kSignature), kBody, kTimestamp);
  CHECK(result.valid);
  CHECK(result.reason == "");
}

TEST_CASE("a callback signed with another secret, or with a changed body or id, is refused") {
  WebhookVerifier verifier(kSecret);
  std::string ts = std::to_string(kTimestamp);
  WebhookVerifier other("whsec_" + std::string("c2VjcmV0LWtleS1vZi1hbm90aGVyLXNlbmRlcg=="));
  CHECK(reason(other.verify(headers(kId, ts, kSignature), kBody, kTimestamp)) == "no matching signature");
  CHECK(reason(verifier.verify(headers(kId, ts, kSignature), kBody + " ", kTimestamp)) == "no matching signature");
  CHECK(reason(verifier.verify(headers("msg_other", ts, kSignature), kBody, kTimestamp)) == "no matching signature");
  CHECK(reason(verifier.verify(headers(kId, ts, "v1,not-base64!"), kBody, kTimestamp)) == "no matching signature");
  // The right bytes under another scheme's prefix do not count.
  CHECK(reason(verifier.verify(headers(kId, ts, "v1a," + kSignature.substr(3)), kBody, kTimestamp)) ==
        "no matching signature");
}

TEST_CASE("timestamps outside the tolerance are refused in both directions") {
  WebhookVerifier verifier(kSecret, 300);
  long long now = kTimestamp;
  auto at = [&](long long ts) {
    return verifier.verify(headers(kId, std::to_string(ts), verifier.sign(kId, ts, kBody)), kBody, now);
  };
  CHECK(reason(at(now - 300)) == "valid");
  CHECK(reason(at(now + 300)) == "valid");
  CHECK(reason(at(now - 301)) == "timestamp too old");
  CHECK(reason(at(now + 301)) == "timestamp in the future");
}

TEST_CASE("a malformed timestamp is refused before any signature is checked") {
  WebhookVerifier verifier(kSecret);
  for (std::string ts : {"12a", "-5", "1.5", " 1614265330", "1234567890123456789012"}) {
    CHECK_MESSAGE(reason(verifier.verify(headers(kId, ts, kSignature), kBody, kTimestamp)) == "malformed timestamp",
                  ts);
  }
}

TEST_CASE("during a key rotation one matching signature among several is enough") {
  WebhookVerifier verifier(kSecret);
  WebhookVerifier oldKey("whsec_b2xkLWtleS1iZWZvcmUtcm90YXRpb24=");
  std::string ts = std::to_string(kTimestamp);
  std::string both = oldKey.sign(kId, kTimestamp, kBody) + " " + kSignature;
  CHECK(reason(verifier.verify(headers(kId, ts, both), kBody, kTimestamp)) == "valid");
  CHECK(reason(oldKey.verify(headers(kId, ts, both), kBody, kTimestamp)) == "valid");
  CHECK(reason(verifier.verify(headers(kId, ts, "v2,whatever " + kSignature), kBody, kTimestamp)) == "valid");
  std::string neither = oldKey.sign(kId, kTimestamp, kBody) + " v1,bm90IGl0";
  CHECK(reason(verifier.verify(headers(kId, ts, neither), kBody, kTimestamp)) == "no matching signature");
}

TEST_CASE("a missing header is named in the reason") {
  WebhookVerifier verifier(kSecret);
  std::string ts = std::to_string(kTimestamp);
  CHECK(reason(verifier.verify(headers("", ts, kSignature), kBody, kTimestamp)) == "missing webhook-id header");
  CHECK(reason(verifier.verify(headers(kId, "", kSignature), kBody, kTimestamp)) == "missing webhook-timestamp header");
  CHECK(reason(verifier.verify(headers(kId, ts, ""), kBody, kTimestamp)) == "missing webhook-signature header");
  CHECK(reason(verifier.verify({}, kBody, kTimestamp)) == "missing webhook-id header");
}

TEST_CASE("a secret that is not base64 is refused when the verifier is made") {
  CHECK_THROWS_AS(WebhookVerifier("whsec_***"), std::invalid_argument);
  CHECK_THROWS_AS(WebhookVerifier("whsec_"), std::invalid_argument);
  CHECK_THROWS_AS(WebhookVerifier("whsec_abcde"), std::invalid_argument);
  CHECK_THROWS_AS(WebhookVerifier("whsec_ab=c"), std::invalid_argument);
  CHECK_NOTHROW(WebhookVerifier("whsec_YQ=="));
  CHECK_NOTHROW(WebhookVerifier("whsec_YQ"));
}
