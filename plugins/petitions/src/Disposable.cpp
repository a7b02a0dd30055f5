#include "Disposable.h"

namespace petitions {

std::set<std::string> parseDomains(const std::string& text) {
  std::set<std::string> out;
  std::string current;
  bool comment = false;
  auto flush = [&] {
    while (!current.empty() && (current.front() == '@' || current.front() == '.')) {
      current.erase(0, 1);
    }
    while (!current.empty() && current.back() == '.') {
      current.pop_back();
    }
    if (!current.empty()) {
      out.insert(current);
    }
    current.clear();
  };
  for (char c : text) {
    if (c == '\n') {
      flush();
      comment = false;
    } else if (comment) {
      continue;
    } else if (c == '#' && current.empty()) {
      comment = true;
    } else if (c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\r') {
      flush();
    } else {
      current += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  flush();
  return out;
}

bool isDisposable(const std::string& domain, const std::set<std::string>& listed) {
  std::string rest = domain;
  while (!rest.empty()) {
    if (listed.count(rest) != 0) {
      return true;
    }
    std::size_t dot = rest.find('.');
    if (dot == std::string::npos) {
      return false;
    }
    rest.erase(0, dot + 1);
  }
  return false;
}

}  // namespace petitions
