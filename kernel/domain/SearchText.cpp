#include "kernel/domain/SearchText.h"

#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>
#include <Poco/UTF8String.h>
#include <Poco/Unicode.h>

#include <map>

namespace ruche::domain {
namespace {

// Lower-case letters with diacritics used in French and its neighbours, and
// what they fold to.
const std::map<int, const char*>& foldings() {
  static const std::map<int, const char*> table = {
      {0xE0, "a"}, {0xE1, "a"}, {0xE2, "a"}, {0xE3, "a"}, {0xE4, "a"}, {0xE5, "a"},   {0xE6, "ae"},  {0xE7, "c"},
      {0xE8, "e"}, {0xE9, "e"}, {0xEA, "e"}, {0xEB, "e"}, {0xEC, "i"}, {0xED, "i"},   {0xEE, "i"},   {0xEF, "i"},
      {0xF1, "n"}, {0xF2, "o"}, {0xF3, "o"}, {0xF4, "o"}, {0xF5, "o"}, {0xF6, "o"},   {0xF8, "o"},   {0xF9, "u"},
      {0xFA, "u"}, {0xFB, "u"}, {0xFC, "u"}, {0xFD, "y"}, {0xFF, "y"}, {0x153, "oe"}, {0x2019, "'"},
  };
  return table;
}

}  // namespace

std::string foldForSearch(const std::string& utf8) {
  std::string lower = Poco::UTF8::toLower(utf8);
  Poco::UTF8Encoding encoding;
  Poco::TextIterator it(lower, encoding);
  Poco::TextIterator end(lower);
  std::string out;
  out.reserve(lower.size());
  const auto& table = foldings();
  for (; it != end; ++it) {
    int c = *it;
    if (c < 0) {
      continue;  // invalid UTF-8: dropped
    }
    auto found = table.find(c);
    if (found != table.end()) {
      out += found->second;
      continue;
    }
    unsigned char bytes[4];
    int length = encoding.convert(c, bytes, sizeof bytes);
    out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
  }
  return out;
}

}  // namespace ruche::domain
