#include "kernel/webhooks/WebhookSigner.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace ruche::webhooks {
namespace {

constexpr const char* kSecretPrefix = "whsec_";
constexpr std::size_t kSecretBytes = 24;

}  // namespace

std::string base64Encode(const std::string& bytes) {
  std::vector<char> out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL));
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  return std::string(out.data());
}

std::string base64Decode(const std::string& text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    throw std::invalid_argument("not base64");
  }
  out.resize(length);
  return out;
}

WebhookSigner::WebhookSigner(const std::string& secret) {
  std::string encoded = secret;
  if (encoded.rfind(kSecretPrefix, 0) == 0) {
    encoded = encoded.substr(std::string(kSecretPrefix).size());
  } else {
    throw std::invalid_argument("a webhook secret starts with whsec_");
  }
  key_ = base64Decode(encoded);
  if (key_.empty()) {
    throw std::invalid_argument("empty webhook secret");
  }
}

std::string WebhookSigner::newSecret() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium could not start");
  }
  std::string bytes(kSecretBytes, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return kSecretPrefix + base64Encode(bytes);
}

std::string WebhookSigner::sign(const std::string& messageId, long long timestamp, const std::string& body) const {
  std::string message = messageId + "." + std::to_string(timestamp) + "." + body;
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return "v1," + base64Encode(mac);
}

SignedHeaders WebhookSigner::headers(const std::string& messageId, long long timestamp, const std::string& body) const {
  return {messageId, std::to_string(timestamp), sign(messageId, timestamp, body)};
}

}  // namespace ruche::webhooks
