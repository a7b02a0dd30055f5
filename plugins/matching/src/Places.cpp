#include "Places.h"

#include <cstdlib>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace matching::plugin {
namespace {

/// The ASCII letters of the accented Latin letters French place names use
/// (two-byte UTF-8 sequences starting with 0xC3 or 0xC5).
std::string_view unaccented(unsigned char lead, unsigned char next) {
  if (lead == 0xC3) {
    static const char* const kC3 =  // 0x80..0xBF
        "aaaaaaeceeeeiiiidnooooo ouuuuyts"
        "aaaaaaeceeeeiiiidnooooo ouuuuyty";
    if (next >= 0x80 && next <= 0xBF) {
      if (next == 0x86 || next == 0xA6) {
        return "ae";
      }
      return std::string_view(kC3 + (next - 0x80), 1);
    }
  } else if (lead == 0xC5 && (next == 0x92 || next == 0x93)) {
    return "oe";
  }
  return " ";
}

/// Whether a word says nothing of the town: a number (postcode, department),
/// an arrondissement ("3e", "3eme", "1er") or a postal suffix.
bool ignoredWord(const std::string& word) {
  std::size_t digits = 0;
  while (digits < word.size() && word[digits] >= '0' && word[digits] <= '9') {
    ++digits;
  }
  if (digits == word.size()) {
    return true;
  }
  if (digits > 0) {
    std::string rest = word.substr(digits);
    return rest == "e" || rest == "eme" || rest == "er" || rest == "ere" || rest == "em";
  }
  return word == "cedex" || word == "arrondissement" || word == "arr";
}

std::unordered_map<std::string, GeoPoint> loadGazetteer() {
  std::unordered_map<std::string, GeoPoint> places;
  std::istringstream lines(shippedPlaceList());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    auto first = line.find(';');
    auto second = line.find(';', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos) {
      continue;
    }
    GeoPoint point{std::strtod(line.c_str() + first + 1, nullptr), std::strtod(line.c_str() + second + 1, nullptr)};
    places.emplace(placeKey(std::string_view(line).substr(0, first)), point);  // first spelling wins
  }
  return places;
}

}  // namespace

std::string placeKey(std::string_view text) {
  std::string folded;
  int depth = 0;  // inside parentheses: "Paris (75)"
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      depth = depth > 0 ? depth - 1 : 0;
      folded += ' ';
    } else if (depth > 0) {
      continue;
    } else if (c >= 0xC0 && i + 1 < text.size()) {
      folded += unaccented(c, static_cast<unsigned char>(text[i + 1]));
      ++i;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      folded += static_cast<char>(c);
    } else if (c >= 'A' && c <= 'Z') {
      folded += static_cast<char>(c - 'A' + 'a');
    } else {
      folded += ' ';
    }
  }
  std::istringstream words(folded);
  std::string word;
  std::string key;
  while (words >> word) {
    if (ignoredWord(word)) {
      continue;
    }
    if (word == "st") {
      word = "saint";
    } else if (word == "ste") {
      word = "sainte";
    }
    key += key.empty() ? word : " " + word;
  }
  return key;
}

std::optional<GeoPoint> locatePlace(std::string_view text) {
  static const auto kPlaces = loadGazetteer();
  std::string key = placeKey(text);
  if (key.empty()) {
    return std::nullopt;
  }
  auto it = kPlaces.find(key);
  if (it == kPlaces.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace matching::plugin
