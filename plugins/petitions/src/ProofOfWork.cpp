#include "ProofOfWork.h"

#include <sodium.h>

#include <charconv>
#include <vector>

namespace petitions {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i != size; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

std::string mac(const std::string& key, const std::string& message) {
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&state, out);
  return hex(out, sizeof out);
}

bool parseNumber(const std::string& text, long long& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && error == std::errc() && end == text.data() + text.size() && out >= 0;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) {
      return parts;
    }
    start = end + 1;
  }
}

}  // namespace

std::string makeChallenge(const std::string& key, long long petitionId, long long issuedAt, const std::string& nonce) {
  std::string message = std::to_string(petitionId) + "." + std::to_string(issuedAt) + "." + nonce;
  return message + "." + mac(key, message);
}

std::optional<Challenge> readChallenge(const std::string& key, const std::string& text) {
  if (text.size() > 300) {
    return std::nullopt;
  }
  auto parts = split(text, '.');
  Challenge challenge;
  if (parts.size() != 4 || !parseNumber(parts[0], challenge.petitionId) || !parseNumber(parts[1], challenge.issuedAt) ||
      parts[2].empty()) {
    return std::nullopt;
  }
  std::string expected = mac(key, parts[0] + "." + parts[1] + "." + parts[2]);
  if (parts[3].size() != expected.size() || sodium_memcmp(parts[3].data(), expected.data(), expected.size()) != 0) {
    return std::nullopt;
  }
  challenge.nonce = parts[2];
  return challenge;
}

bool solves(const std::string& challenge, const std::string& solution, int bits) {
  if (solution.empty() || solution.size() > 20) {
    return false;
  }
  std::string input = challenge + ":" + solution;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  for (int i = 0; i < bits; ++i) {
    if ((digest[i / 8] & (0x80 >> (i % 8))) != 0) {
      return false;
    }
  }
  return true;
}

std::string solve(const std::string& challenge, int bits) {
  for (long long n = 0;; ++n) {
    std::string candidate = std::to_string(n);
    if (solves(challenge, candidate, bits)) {
      return candidate;
    }
  }
}

PowVerdict judge(const std::string& key, const std::string& text, const std::string& solution, long long petitionId,
                 long long now, long long waitSeconds) {
  auto challenge = readChallenge(key, text);
  if (!challenge || challenge->petitionId != petitionId || challenge->issuedAt > now) {
    return PowVerdict::Invalid;
  }
  if (now - challenge->issuedAt > kPowLifetimeSeconds) {
    return PowVerdict::Expired;
  }
  if (solves(text, solution) || now - challenge->issuedAt >= waitSeconds) {
    return PowVerdict::Accepted;
  }
  return PowVerdict::TooEarly;
}

}  // namespace petitions
