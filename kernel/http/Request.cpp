#include "kernel/http/Request.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace ruche::http {
namespace {

std::string firstOf(const std::map<std::string, std::vector<std::string>>& values, const std::string& name) {
  auto it = values.find(name);
  return it == values.end() || it->second.empty() ? std::string() : it->second.front();
}

std::string lookup(const std::map<std::string, std::string>& values, const std::string& name) {
  auto it = values.find(name);
  return it == values.end() ? std::string() : it->second;
}

std::string decodeComponent(std::string text) {
  for (char& c : text) {
    if (c == '+') {
      c = ' ';
    }
  }
  std::string decoded;
  try {
    Poco::URI::decode(text, decoded);
  } catch (const Poco::Exception&) {
    return text;
  }
  return decoded;
}

}  // namespace

std::string Request::queryValue(const std::string& name) const {
  return firstOf(query, name);
}
std::string Request::formValue(const std::string& name) const {
  return firstOf(form, name);
}
std::string Request::header(const std::string& lowerName) const {
  return lookup(headers, lowerName);
}
std::string Request::cookie(const std::string& name) const {
  return lookup(cookies, name);
}
std::string Request::param(const std::string& name) const {
  return lookup(pathParams, name);
}

std::vector<std::string> Request::formValues(const std::string& name) const {
  auto it = form.find(name);
  return it == form.end() ? std::vector<std::string>{} : it->second;
}

const UploadedFile* Request::file(const std::string& name) const {
  auto it = files.find(name);
  return it == files.end() || it->second.empty() ? nullptr : &it->second.front();
}

std::vector<std::string> Request::queryValues(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::vector<std::string>{} : it->second;
}

std::map<std::string, std::vector<std::string>> parseUrlEncoded(const std::string& text) {
  std::map<std::string, std::vector<std::string>> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto amp = text.find('&', start);
    std::string pair = text.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      std::string key = decodeComponent(pair.substr(0, eq));
      std::string value = eq == std::string::npos ? std::string() : decodeComponent(pair.substr(eq + 1));
      values[key].push_back(value);
    }
    if (amp == std::string::npos) {
      break;
    }
    start = amp + 1;
  }
  return values;
}

// The request target for the access log, with the value of every query
// parameter whose name mentions a token blanked: reset and verification links
// and calendar feeds must not be readable from the logs.
std::string redactTokens(const std::string& target) {
  auto question = target.find('?');
  if (question == std::string::npos) {
    return target;
  }
  std::string out = target.substr(0, question + 1);
  std::string query = target.substr(question + 1);
  std::size_t start = 0;
  while (start <= query.size()) {
    auto amp = query.find('&', start);
    std::string pair = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    auto eq = pair.find('=');
    std::string name = pair.substr(0, eq);
    std::string lower = name;
    for (auto& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    out += (start == 0 ? "" : "&") +
           (eq != std::string::npos && lower.find("token") != std::string::npos ? name + "=…" : pair);
    if (amp == std::string::npos) {
      break;
    }
    start = amp + 1;
  }
  return out;
}

}  // namespace ruche::http
