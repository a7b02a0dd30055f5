#pragma once

#include <optional>
#include <string>

namespace ruche::themes {

/// An sRGB colour, 0–255 per channel.
struct Rgb {
  int r = 0;
  int g = 0;
  int b = 0;
};

/// "#rrggbb" or "#rgb" (any case) → the colour; nullopt for anything else.
std::optional<Rgb> parseHexColour(const std::string& text);
/// "#rrggbb" in lower case.
std::string toHex(const Rgb& colour);

/// WCAG 2.1 relative luminance, 0 (black) to 1 (white).
double relativeLuminance(const Rgb& colour);
/// WCAG 2.1 contrast ratio (L1 + 0.05) / (L2 + 0.05), 1 to 21, in either order.
double contrastRatio(const Rgb& a, const Rgb& b);
/// The ratio as people read it, truncated (never rounded up past a
/// threshold) to two decimals: 4.4786 → "4.47".
std::string formatRatio(double ratio);

/// WCAG 2.1 AA for normal text.
inline constexpr double kMinimumTextContrast = 4.5;

}  // namespace ruche::themes
