#pragma once

#include <sodium.h>

#include <string>

namespace petitions {

/// The SHA-256 of a token, as 64 lower-case hex digits: what the database
/// keeps of confirmation and personal links, so that a copy of it gives no
/// working link. Tokens are 32 random bytes, so a plain hash (no salt, no
/// slow function) is enough: nothing to guess.
inline std::string tokenHash(const std::string& token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  static const char* const kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * sizeof digest);
  for (unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0x0F];
  }
  return hex;
}

}  // namespace petitions
