#include "ruche/sdk/WebhookVerifier.h"

#include <sodium.h>

#include <stdexcept>

namespace ruche::sdk {
namespace {

constexpr const char* kSecretPrefix = "whsec_";
constexpr const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// More digits than this cannot be a timestamp and would overflow.
constexpr std::size_t kMaxTimestampDigits = 18;

/// Standard base64 with padding, as the specification writes signatures.
std::string base64Encode(const std::string& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned long n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                      static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 0x3F];
    out += kAlphabet[(n >> 12) & 0x3F];
    out += kAlphabet[(n >> 6) & 0x3F];
    out += kAlphabet[n & 0x3F];
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    unsigned long n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 0x3F];
    out += kAlphabet[(n >> 12) & 0x3F];
    out += "==";
  } else if (rest == 2) {
    unsigned long n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 0x3F];
    out += kAlphabet[(n >> 12) & 0x3F];
    out += kAlphabet[(n >> 6) & 0x3F];
    out += '=';
  }
  return out;
}

int base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+') {
    return 62;
  }
  if (c == '/') {
    return 63;
  }
  return -1;
}

/// Standard base64; the padding may be left out (some providers do). False
/// on anything else: another alphabet, stray characters, a bad length.
bool base64Decode(const std::string& text, std::string& out) {
  std::size_t length = text.size();
  if (length % 4 == 0) {
    // Up to two '=' at the end, nowhere else.
    for (int i = 0; i < 2 && length > 0 && text[length - 1] == '='; ++i) {
      --length;
    }
  }
  if (length % 4 == 1) {
    return false;
  }
  out.clear();
  unsigned long buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < length; ++i) {
    int digit = base64Digit(text[i]);
    if (digit < 0) {
      return false;
    }
    buffer = (buffer << 6) | static_cast<unsigned long>(digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return true;
}

std::string header(const std::map<std::string, std::string>& headers, const std::string& name) {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

std::string hmacSha256(const std::string& key, const std::string& message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

}  // namespace

WebhookVerifier::WebhookVerifier(const std::string& secret, long long toleranceSeconds) : tolerance_(toleranceSeconds) {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium could not start");
  }
  std::string encoded = secret;
  if (encoded.rfind(kSecretPrefix, 0) == 0) {
    encoded.erase(0, std::string(kSecretPrefix).size());
  }
  if (!base64Decode(encoded, key_) || key_.empty()) {
    throw std::invalid_argument("a webhook secret is \"whsec_\" followed by base64");
  }
}

WebhookVerifier::Result WebhookVerifier::verify(const std::map<std::string, std::string>& headers,
                                                const std::string& body, long long now) const {
  std::string id = header(headers, "webhook-id");
  std::string timestampText = header(headers, "webhook-timestamp");
  std::string signatures = header(headers, "webhook-signature");
  if (id.empty()) {
    return {false, "missing webhook-id header"};
  }
  if (timestampText.empty()) {
    return {false, "missing webhook-timestamp header"};
  }
  if (signatures.empty()) {
    return {false, "missing webhook-signature header"};
  }
  if (timestampText.size() > kMaxTimestampDigits ||
      timestampText.find_first_not_of("0123456789") != std::string::npos) {
    return {false, "malformed timestamp"};
  }
  long long timestamp = std::stoll(timestampText);
  if (timestamp < now - tolerance_) {
    return {false, "timestamp too old"};
  }
  if (timestamp > now + tolerance_) {
    return {false, "timestamp in the future"};
  }

  std::string expected = hmacSha256(key_, id + "." + timestampText + "." + body);
  bool matched = false;
  std::size_t start = 0;
  // Every entry is compared, so the time taken does not tell which matched.
  while (start < signatures.size()) {
    std::size_t end = signatures.find(' ', start);
    if (end == std::string::npos) {
      end = signatures.size();
    }
    std::string entry = signatures.substr(start, end - start);
    start = end + 1;
    std::string mac;
    if (entry.rfind("v1,", 0) != 0 || !base64Decode(entry.substr(3), mac) || mac.size() != expected.size()) {
      continue;  // another scheme's entry, or not a signature at all
    }
    if (sodium_memcmp(mac.data(), expected.data(), expected.size()) == 0) {
      matched = true;
    }
  }
  if (!matched) {
    return {false, "no matching signature"};
  }
  return {true, ""};
}

std::string WebhookVerifier::sign(const std::string& id, long long timestamp, const std::string& body) const {
  return "v1," + base64Encode(hmacSha256(key_, id + "." + std::to_string(timestamp) + "." + body));
}

}  // namespace ruche::sdk
