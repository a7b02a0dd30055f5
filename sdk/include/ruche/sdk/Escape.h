#pragma once

#include <string>

namespace ruche::sdk {

/// (SDK 1.2) `text` escaped for HTML or XML character data and attribute
/// values (&, <, >, " and '): for markup a plugin writes itself, such as an
/// SVG; templates already escape `{{x}}`.
inline std::string escapeXml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace ruche::sdk
