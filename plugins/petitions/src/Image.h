#pragma once

#include <cstddef>
#include <string>

namespace petitions {

/// The largest image a coordinator may upload (the kernel's default body
/// limit is 1 MiB, the multipart envelope included).
inline constexpr std::size_t kMaxImageBytes = 800 * 1024;
/// The longest alternative text, in characters.
inline constexpr std::size_t kMaxAltCharacters = 300;

/// The image's type from its first bytes (the browser's word is never
/// trusted): "image/jpeg", "image/png", "image/webp", or "" for anything else.
std::string imageTypeOf(const std::string& bytes);

/// Standard base64 with padding (how an image is kept in the database).
std::string base64Encode(const std::string& bytes);
/// The bytes of standard base64; "" when the text is not base64.
std::string base64Decode(const std::string& text);

}  // namespace petitions
