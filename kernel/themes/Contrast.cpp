#include "kernel/themes/Contrast.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ruche::themes {
namespace {

int hexDigit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

double linear(int channel) {
  double c = channel / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

}  // namespace

std::optional<Rgb> parseHexColour(const std::string& text) {
  if ((text.size() != 7 && text.size() != 4) || text[0] != '#') {
    return std::nullopt;
  }
  int digits[6];
  for (std::size_t i = 1; i < text.size(); ++i) {
    digits[i - 1] = hexDigit(text[i]);
    if (digits[i - 1] < 0) {
      return std::nullopt;
    }
  }
  if (text.size() == 4) {
    return Rgb{digits[0] * 17, digits[1] * 17, digits[2] * 17};
  }
  return Rgb{digits[0] * 16 + digits[1], digits[2] * 16 + digits[3], digits[4] * 16 + digits[5]};
}

std::string toHex(const Rgb& colour) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", colour.r & 0xff, colour.g & 0xff, colour.b & 0xff);
  return buffer;
}

double relativeLuminance(const Rgb& colour) {
  return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b);
}

double contrastRatio(const Rgb& a, const Rgb& b) {
  double la = relativeLuminance(a);
  double lb = relativeLuminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

std::string formatRatio(double ratio) {
  double truncated = std::floor(ratio * 100.0 + 1e-9) / 100.0;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.2f", truncated);
  return buffer;
}

}  // namespace ruche::themes
