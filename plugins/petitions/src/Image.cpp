#include "Image.h"

#include <sodium.h>

#include <vector>

namespace petitions {

std::string imageTypeOf(const std::string& bytes) {
  auto startsWith = [&](std::size_t at, const std::string& magic) {
    return bytes.compare(at, magic.size(), magic) == 0;
  };
  if (bytes.size() >= 4 && startsWith(0, std::string("\xFF\xD8\xFF", 3))) {
    return "image/jpeg";
  }
  if (bytes.size() >= 8 && startsWith(0, std::string("\x89PNG\r\n\x1A\n", 8))) {
    return "image/png";
  }
  if (bytes.size() >= 16 && startsWith(0, "RIFF") && startsWith(8, "WEBPVP8")) {
    return "image/webp";
  }
  return "";
}

std::string base64Encode(const std::string& bytes) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string base64Decode(const std::string& text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "";
  }
  out.resize(length);
  return out;
}

}  // namespace petitions
