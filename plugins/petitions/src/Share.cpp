#include "Share.h"

namespace petitions {

std::string percentEncode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::vector<ShareLink> shareLinks(const std::string& url, const std::string& title, const std::string& mailSubject,
                                  const std::string& mailBody) {
  const std::string u = percentEncode(url);
  const std::string t = percentEncode(title);
  return {
      {"email", "mailto:?subject=" + percentEncode(mailSubject) + "&body=" + percentEncode(mailBody + "\n\n" + url)},
      {"facebook", "https://www.facebook.com/sharer/sharer.php?u=" + u},
      {"x", "https://twitter.com/intent/tweet?url=" + u + "&text=" + t},
      {"linkedin", "https://www.linkedin.com/sharing/share-offsite/?url=" + u},
      {"whatsapp", "https://wa.me/?text=" + percentEncode(title + " " + url)},
      {"telegram", "https://t.me/share/url?url=" + u + "&text=" + t},
      {"bluesky", "https://bsky.app/intent/compose?text=" + percentEncode(title + " " + url)},
  };
}

}  // namespace petitions
