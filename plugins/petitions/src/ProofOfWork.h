#pragma once

#include <optional>
#include <string>

namespace petitions {

/// An optional proof-of-work on the signing form (no third-party captcha).
/// The form carries a challenge signed with the plugin's key:
/// "<petition id>.<issued at>.<nonce>.<HMAC-SHA256, hex>". A browser with
/// JavaScript finds a `solution` (decimal) such that SHA-256 of
/// "<challenge>:<solution>" starts with kPowBits zero bits; a browser without
/// it simply waits: the challenge is also accepted once `wait` seconds have
/// passed since it was issued. Either way a challenge is used once.
inline constexpr int kPowBits = 14;
/// How long a challenge stays usable, in seconds.
inline constexpr long long kPowLifetimeSeconds = 2 * 3600;

/// A challenge whose signature checked out.
struct Challenge {
  long long petitionId = 0;
  long long issuedAt = 0;
  std::string nonce;
};

/// The challenge text for these values, signed with `key` (any bytes).
std::string makeChallenge(const std::string& key, long long petitionId, long long issuedAt, const std::string& nonce);

/// The challenge if `text` is one signed with `key`; nullopt otherwise
/// (malformed, tampered with, or signed with another key).
std::optional<Challenge> readChallenge(const std::string& key, const std::string& text);

/// Whether SHA-256("<challenge>:<solution>") starts with `bits` zero bits.
bool solves(const std::string& challenge, const std::string& solution, int bits = kPowBits);

/// The smallest solution (what the browser's script computes; tests use it).
std::string solve(const std::string& challenge, int bits = kPowBits);

/// How a challenge stands at `now` for a form sent with `solution`.
enum class PowVerdict { Accepted, TooEarly, Expired, Invalid };
PowVerdict judge(const std::string& key, const std::string& text, const std::string& solution, long long petitionId,
                 long long now, long long waitSeconds);

}  // namespace petitions
