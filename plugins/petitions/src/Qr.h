#pragma once

#include <string>

namespace petitions {

/// A QR code of `text` (medium error correction) as an SVG image: one
/// <path> of black modules on a white square with a 4-module quiet zone,
/// no script, no style attribute (the site's CSP forbids inline styles).
/// It carries role="img" and a <title> (id `titleId`) with `title`, its
/// text alternative. "" when the text cannot be encoded.
std::string qrSvg(const std::string& text, const std::string& title, const std::string& titleId = "qr-title");


}  // namespace petitions
