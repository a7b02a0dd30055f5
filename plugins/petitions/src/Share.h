#pragma once

#include <string>
#include <vector>

namespace petitions {

/// One way to share a petition: a plain link (no third-party script, no
/// button that loads anything from the network before it is followed).
struct ShareLink {
  std::string network;  ///< "email", "facebook", "x", "linkedin", "whatsapp", "telegram", "bluesky"
  std::string url;
};

/// RFC 3986 percent-encoding of everything but unreserved characters.
std::string percentEncode(const std::string& text);

/// The share links for a page at `url` titled `title`: a mailto: with
/// `mailSubject` and `mailBody` (the URL appended to the body), then the
/// networks' documented share URLs.
std::vector<ShareLink> shareLinks(const std::string& url, const std::string& title, const std::string& mailSubject,
                                  const std::string& mailBody);

}  // namespace petitions
