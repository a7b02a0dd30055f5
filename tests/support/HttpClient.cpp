#include "tests/support/HttpClient.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

#include <cctype>
#include <stdexcept>

namespace ruche::testing {

namespace {

bool isSpace(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

/// "https://host:1/a/b?c#d" → "/a/b?c"; a path is returned without its fragment.
std::string pathAndQuery(const std::string& url) {
  std::string rest = url;
  std::size_t scheme = rest.find("://");
  if (scheme != std::string::npos && rest.find_first_of("/?#") > scheme) {
    std::size_t slash = rest.find_first_of("/?#", scheme + 3);
    rest = slash == std::string::npos ? std::string("/") : rest.substr(slash);
  }
  rest = rest.substr(0, rest.find('#'));
  if (rest.empty() || rest.front() == '?') {
    rest.insert(0, "/");
  }
  return rest;
}

std::string htmlUnescape(const std::string& text) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&amp;", "&"},  {"&lt;", "<"},   {"&gt;", ">"},   {"&quot;", "\""}, {"&apos;", "'"}, {"&#39;", "'"},
      {"&#x27;", "'"}, {"&#34;", "\""}, {"&#x2F;", "/"}, {"&#47;", "/"},   {"&#61;", "="},  {"&#x3D;", "="},
  };
  std::string result;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [entity, character] : kEntities) {
        std::string_view name(entity);
        if (text.compare(i, name.size(), name) == 0) {
          result += character;
          i += name.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      result += text[i];
      ++i;
    }
  }
  return result;
}

/// Attributes of the tag that starts at `begin` (at its "<"), names in lower case.
std::map<std::string, std::string> tagAttributes(const std::string& html, std::size_t begin) {
  std::map<std::string, std::string> attributes;
  std::size_t i = begin + 1;
  while (i < html.size() && !isSpace(html[i]) && html[i] != '>' && html[i] != '/') {
    ++i;  // the tag name
  }
  for (;;) {
    while (i < html.size() && (isSpace(html[i]) || html[i] == '/')) {
      ++i;
    }
    if (i >= html.size() || html[i] == '>') {
      return attributes;
    }
    std::size_t nameBegin = i;
    while (i < html.size() && !isSpace(html[i]) && html[i] != '=' && html[i] != '>' && html[i] != '/') {
      ++i;
    }
    std::string name = Poco::toLower(html.substr(nameBegin, i - nameBegin));
    while (i < html.size() && isSpace(html[i])) {
      ++i;
    }
    std::string value;
    if (i < html.size() && html[i] == '=') {
      ++i;
      while (i < html.size() && isSpace(html[i])) {
        ++i;
      }
      if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
        char quote = html[i];
        std::size_t close = html.find(quote, i + 1);
        if (close == std::string::npos) {
          return attributes;
        }
        value = html.substr(i + 1, close - i - 1);
        i = close + 1;
      } else {
        std::size_t valueBegin = i;
        while (i < html.size() && !isSpace(html[i]) && html[i] != '>') {
          ++i;
        }
        value = html.substr(valueBegin, i - valueBegin);
      }
    }
    attributes.emplace(name, htmlUnescape(value));
  }
}

/// End of a URL or link starting at `begin` in free text or markup.
std::string linkAt(const std::string& text, std::size_t begin) {
  std::size_t end = begin;
  while (end < text.size() && !isSpace(text[end]) &&
         std::string_view("\"'<>()[]`").find(text[end]) == std::string_view::npos) {
    ++end;
  }
  std::string link = text.substr(begin, end - begin);
  while (!link.empty() && std::string_view(".,;:!?").find(link.back()) != std::string_view::npos) {
    link.pop_back();
  }
  return htmlUnescape(link);
}

std::optional<std::chrono::system_clock::time_point> parseExpires(const std::string& value) {
  Poco::DateTime dateTime;
  int timeZone = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::trim(value), dateTime, timeZone)) {
    return std::nullopt;
  }
  dateTime.makeUTC(timeZone);
  return std::chrono::system_clock::time_point(std::chrono::microseconds(dateTime.timestamp().epochMicroseconds()));
}

}  // namespace

HttpClient::HttpClient(std::string host, std::uint16_t port) : host_(std::move(host)), port_(port) {}

HttpResponse HttpClient::get(const std::string& path, const Headers& extraHeaders) {
  return request(Poco::Net::HTTPRequest::HTTP_GET, path, {}, {}, extraHeaders);
}

HttpResponse HttpClient::head(const std::string& path, const Headers& extraHeaders) {
  return request(Poco::Net::HTTPRequest::HTTP_HEAD, path, {}, {}, extraHeaders);
}

HttpResponse HttpClient::post(const std::string& path, const std::string& body, const std::string& contentType,
                              const Headers& extraHeaders) {
  return request(Poco::Net::HTTPRequest::HTTP_POST, path, body, contentType, extraHeaders);
}

HttpResponse HttpClient::postForm(const std::string& path, const FormFields& fields, const Headers& extraHeaders) {
  return post(path, formEncode(fields), "application/x-www-form-urlencoded", extraHeaders);
}

HttpResponse HttpClient::postJson(const std::string& path, const std::string& json, const Headers& extraHeaders) {
  return post(path, json, "application/json", extraHeaders);
}

HttpResponse HttpClient::postFormWithCsrf(const std::string& path, const std::string& formPagePath, FormFields fields,
                                          const Headers& extraHeaders) {
  HttpResponse page = get(formPagePath);
  if (page.status != 200) {
    throw std::runtime_error("HttpClient: GET " + formPagePath + " for a CSRF token answered " +
                             std::to_string(page.status));
  }
  fields.emplace_back("_csrf", csrfFrom(page.body));
  return postForm(path, fields, extraHeaders);
}

HttpResponse HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                                 const std::string& contentType, const Headers& headers) {
  std::string target = pathAndQuery(path);
  Poco::Net::HTTPClientSession session(host_, port_);
  session.setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout_).count()));
  session.setKeepAlive(false);

  Poco::Net::HTTPRequest httpRequest(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  bool haveCookieHeader = false;
  bool haveFetchSite = false;
  for (const auto& [name, value] : headers) {
    bool fetchSite = Poco::icompare(name, "Sec-Fetch-Site") == 0;
    haveFetchSite = haveFetchSite || fetchSite;
    if (!(fetchSite && value.empty())) {  // empty: a client that sends none
      httpRequest.add(name, value);
    }
    haveCookieHeader = haveCookieHeader || Poco::icompare(name, "Cookie") == 0;
  }
  if (!haveFetchSite) {
    httpRequest.set("Sec-Fetch-Site", "same-origin");  // as a browser following the site's own links
  }
  if (!haveCookieHeader) {
    std::string cookieHeader = cookieHeaderFor(target);
    if (!cookieHeader.empty()) {
      httpRequest.set("Cookie", cookieHeader);
    }
  }
  bool sendBody = !body.empty() || !contentType.empty();
  if (sendBody) {
    if (!contentType.empty()) {
      httpRequest.setContentType(contentType);
    }
    httpRequest.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  std::ostream& requestStream = session.sendRequest(httpRequest);
  if (sendBody) {
    requestStream << body;
  }

  Poco::Net::HTTPResponse httpResponse;
  std::istream& responseStream = session.receiveResponse(httpResponse);
  HttpResponse response;
  response.status = static_cast<int>(httpResponse.getStatus());
  Poco::StreamCopier::copyToString(responseStream, response.body);
  for (const auto& [name, value] : httpResponse) {
    std::string key = Poco::toLower(name);
    auto [existing, inserted] = response.headers.emplace(key, value);
    if (!inserted) {
      existing->second = key == "set-cookie" ? value : existing->second + ", " + value;
    }
  }
  storeCookies(httpResponse);
  return response;
}

HttpResponse HttpClient::followRedirect(const HttpResponse& response) {
  std::string location = response.header("location");
  if (location.empty()) {
    throw std::runtime_error("HttpClient: no Location to follow (status " + std::to_string(response.status) + ")");
  }
  return get(location);
}

std::optional<std::string> HttpClient::cookie(const std::string& name) const {
  auto found = cookies_.find(name);
  if (found == cookies_.end() ||
      (found->second.expires && *found->second.expires <= std::chrono::system_clock::now())) {
    return std::nullopt;
  }
  return found->second.value;
}

void HttpClient::setCookie(const std::string& name, const std::string& value, const std::string& path) {
  cookies_[name] = Cookie{value, path, std::nullopt};
}

void HttpClient::clearCookies() {
  cookies_.clear();
}

void HttpClient::setTimeout(std::chrono::milliseconds timeout) {
  timeout_ = timeout;
}

void HttpClient::storeCookies(const Poco::Net::HTTPResponse& response) {
  for (const auto& [headerName, headerValue] : response) {
    if (Poco::icompare(headerName, "Set-Cookie") != 0) {
      continue;
    }
    std::vector<std::string> pieces;
    std::size_t start = 0;
    for (;;) {
      std::size_t semicolon = headerValue.find(';', start);
      pieces.push_back(Poco::trim(headerValue.substr(start, semicolon - start)));
      if (semicolon == std::string::npos) {
        break;
      }
      start = semicolon + 1;
    }
    std::size_t equals = pieces.front().find('=');
    if (equals == std::string::npos || equals == 0) {
      continue;  // not a cookie a browser would keep
    }
    std::string name = Poco::trim(pieces.front().substr(0, equals));
    Cookie cookie{Poco::trim(pieces.front().substr(equals + 1)), "/", std::nullopt};
    if (cookie.value.size() >= 2 && cookie.value.front() == '"' && cookie.value.back() == '"') {
      cookie.value = cookie.value.substr(1, cookie.value.size() - 2);
    }
    bool removed = false;
    std::optional<std::chrono::system_clock::time_point> maxAgeExpiry;
    for (std::size_t i = 1; i < pieces.size(); ++i) {
      std::size_t attributeEquals = pieces[i].find('=');
      std::string attribute = Poco::toLower(Poco::trim(pieces[i].substr(0, attributeEquals)));
      std::string value =
          attributeEquals == std::string::npos ? std::string() : Poco::trim(pieces[i].substr(attributeEquals + 1));
      if (attribute == "max-age") {
        int seconds = 0;
        if (Poco::NumberParser::tryParse(value, seconds)) {
          removed = seconds <= 0;
          maxAgeExpiry = std::chrono::system_clock::now() + std::chrono::seconds(seconds);
        }
      } else if (attribute == "expires") {
        cookie.expires = parseExpires(value);
      } else if (attribute == "path" && !value.empty() && value.front() == '/') {
        cookie.path = value;
      }
    }
    if (maxAgeExpiry) {
      cookie.expires = maxAgeExpiry;  // Max-Age wins over Expires
    }
    if (removed || (cookie.expires && *cookie.expires <= std::chrono::system_clock::now())) {
      cookies_.erase(name);
    } else {
      cookies_[name] = cookie;
    }
  }
}

std::string HttpClient::cookieHeaderFor(const std::string& path) {
  auto now = std::chrono::system_clock::now();
  std::string requestPath = path.substr(0, path.find('?'));
  std::string header;
  for (auto it = cookies_.begin(); it != cookies_.end();) {
    const Cookie& cookie = it->second;
    if (cookie.expires && *cookie.expires <= now) {
      it = cookies_.erase(it);
      continue;
    }
    bool pathMatches =
        requestPath.starts_with(cookie.path) && (requestPath.size() == cookie.path.size() ||
                                                 cookie.path.back() == '/' || requestPath[cookie.path.size()] == '/');
    if (pathMatches) {
      if (!header.empty()) {
        header += "; ";
      }
      header += it->first + "=" + cookie.value;
    }
    ++it;
  }
  return header;
}

std::string HttpClient::formEncode(const FormFields& fields) {
  static const char kHex[] = "0123456789ABCDEF";
  auto encode = [](const std::string& text, std::string& out) {
    for (unsigned char c : text) {
      if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '*') {
        out += static_cast<char>(c);
      } else if (c == ' ') {
        out += '+';
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 0x0F];
      }
    }
  };
  std::string encoded;
  for (const auto& [name, value] : fields) {
    if (!encoded.empty()) {
      encoded += '&';
    }
    encode(name, encoded);
    encoded += '=';
    encode(value, encoded);
  }
  return encoded;
}

std::string HttpClient::csrfFrom(const std::string& html) {
  std::string lower = Poco::toLower(html);
  for (std::size_t at = lower.find("<input"); at != std::string::npos; at = lower.find("<input", at + 1)) {
    std::map<std::string, std::string> attributes = tagAttributes(html, at);
    auto name = attributes.find("name");
    if (name != attributes.end() && name->second == "_csrf") {
      auto value = attributes.find("value");
      if (value != attributes.end() && !value->second.empty()) {
        return value->second;
      }
    }
  }
  throw std::runtime_error("HttpClient: no <input name=\"_csrf\" value=\"...\"> in the page: " + html.substr(0, 400));
}

std::string HttpClient::extractLink(const std::string& text, const std::string& pathPrefix) {
  for (std::size_t at = 0; at < text.size();) {
    std::size_t http = text.find("http://", at);
    std::size_t https = text.find("https://", at);
    std::size_t begin = std::min(http, https);
    if (begin == std::string::npos) {
      break;
    }
    std::string link = pathAndQuery(linkAt(text, begin));
    if (link.find(pathPrefix) != std::string::npos) {
      return link;
    }
    at = begin + 1;
  }
  if (!pathPrefix.empty() && pathPrefix.front() == '/') {
    for (std::size_t at = text.find(pathPrefix); at != std::string::npos; at = text.find(pathPrefix, at + 1)) {
      bool standsAlone =
          at == 0 || isSpace(text[at - 1]) || std::string_view("\"'(<[=").find(text[at - 1]) != std::string_view::npos;
      if (standsAlone) {
        return pathAndQuery(linkAt(text, at));
      }
    }
  }
  throw std::runtime_error("HttpClient: no link containing \"" + pathPrefix + "\" in: " + text.substr(0, 400));
}

}  // namespace ruche::testing
