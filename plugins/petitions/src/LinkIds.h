#pragma once

#include <sodium.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace petitions {

/// Hides a signature's id in the links that name it (rowToken): a keyed
/// permutation of 64-bit numbers, so that a link shows neither how many
/// signatures the installation took before it nor which ones are its
/// neighbours (ids are one sequence for every association). A four-round
/// Feistel network over two 32-bit halves with SipHash-2-4 as its round
/// function: a pseudorandom permutation for whoever lacks the key, and
/// nothing is stored, since reveal() undoes hide().
class LinkIds {
 public:
  /// `secret`: the plugin's random key material (any length).
  explicit LinkIds(const std::string& secret) {
    crypto_generichash(key_, sizeof key_, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr,
                       0);
  }

  std::uint64_t hide(std::uint64_t id) const {
    std::uint32_t left = static_cast<std::uint32_t>(id >> 32), right = static_cast<std::uint32_t>(id);
    for (std::uint8_t r = 0; r < kRounds; ++r) {
      std::uint32_t next = left ^ round(r, right);
      left = right;
      right = next;
    }
    return (static_cast<std::uint64_t>(left) << 32) | right;
  }

  std::uint64_t reveal(std::uint64_t selector) const {
    std::uint32_t left = static_cast<std::uint32_t>(selector >> 32), right = static_cast<std::uint32_t>(selector);
    for (std::uint8_t r = kRounds; r-- > 0;) {
      std::uint32_t previous = right ^ round(r, left);
      right = left;
      left = previous;
    }
    return (static_cast<std::uint64_t>(left) << 32) | right;
  }

 private:
  static constexpr std::uint8_t kRounds = 4;

  std::uint32_t round(std::uint8_t r, std::uint32_t half) const {
    unsigned char input[5] = {r, static_cast<unsigned char>(half >> 24), static_cast<unsigned char>(half >> 16),
                              static_cast<unsigned char>(half >> 8), static_cast<unsigned char>(half)};
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, input, sizeof input, key_);
    std::uint32_t value;
    std::memcpy(&value, out, sizeof value);
    return value;
  }

  unsigned char key_[crypto_shorthash_KEYBYTES];
};

}  // namespace petitions
