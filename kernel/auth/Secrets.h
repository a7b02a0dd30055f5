#pragma once

#include <string>

namespace ruche::auth {

/// Random token of `bytes` bytes, base64url without padding (libsodium).
std::string randomToken(std::size_t bytes = 32);

/// What we store instead of a token: hex BLAKE2b-256 of it. A stolen
/// database then holds no usable session or API token.
std::string hashToken(const std::string& token);

/// Compares without leaking where the strings differ.
bool constantTimeEquals(const std::string& a, const std::string& b);

/// argon2id (libsodium's crypto_pwhash_str at INTERACTIVE limits).
std::string hashPassword(const std::string& password);
bool verifyPassword(const std::string& password, const std::string& hash);

}  // namespace ruche::auth
