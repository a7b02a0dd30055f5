#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/HttpResponse.h"

namespace Poco::Net {
class HTTPResponse;
}

namespace ruche::testing {

/// A small HTTP/1.1 client for tests: one connection per request, a cookie jar,
/// no automatic redirects; it says "Sec-Fetch-Site: same-origin", as a browser
/// following the site's own links, unless a request gives its own (an empty
/// one: no such header, as an older client). Errors of the transport (refused, timeout) throw
/// Poco exceptions; any HTTP status is returned as is.
class HttpClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;
  using FormFields = std::vector<std::pair<std::string, std::string>>;

  HttpClient(std::string host, std::uint16_t port);

  HttpResponse get(const std::string& path, const Headers& extraHeaders = {});
  HttpResponse head(const std::string& path, const Headers& extraHeaders = {});
  HttpResponse post(const std::string& path, const std::string& body, const std::string& contentType,
                    const Headers& extraHeaders = {});
  /// POST as application/x-www-form-urlencoded.
  HttpResponse postForm(const std::string& path, const FormFields& fields, const Headers& extraHeaders = {});
  /// POST as application/json.
  HttpResponse postJson(const std::string& path, const std::string& json, const Headers& extraHeaders = {});
  /// GETs formPagePath, takes its _csrf hidden field and posts fields plus _csrf
  /// to path. Throws std::runtime_error when the page is not a 200 or has no token.
  HttpResponse postFormWithCsrf(const std::string& path, const std::string& formPagePath, FormFields fields,
                                const Headers& extraHeaders = {});
  /// Any method. The body and its Content-Type are sent when contentType is not
  /// empty or body is not empty. `path` may also be an absolute URL: only its
  /// path and query are used. A Cookie header in `headers` replaces the jar's.
  HttpResponse request(const std::string& method, const std::string& path, const std::string& body = {},
                       const std::string& contentType = {}, const Headers& headers = {});
  /// GETs the Location of a redirect. Throws std::runtime_error when there is none.
  HttpResponse followRedirect(const HttpResponse& response);

  /// The value of a live cookie in the jar.
  std::optional<std::string> cookie(const std::string& name) const;
  void setCookie(const std::string& name, const std::string& value, const std::string& path = "/");
  void clearCookies();

  /// Connection, send and receive timeout; 30 s by default.
  void setTimeout(std::chrono::milliseconds timeout);

  /// application/x-www-form-urlencoded: space as "+", all but A-Z a-z 0-9 - . _ * percent-encoded.
  static std::string formEncode(const FormFields& fields);
  /// The value of <input ... name="_csrf" ... value="..."> (any attribute order,
  /// either quote), HTML entities decoded. Throws std::runtime_error when absent.
  static std::string csrfFrom(const std::string& html);
  /// Path and query of the first http(s) URL in text whose path and query contain
  /// pathPrefix (fragment dropped, "&amp;" decoded); failing that, of the first
  /// relative link starting with pathPrefix when it starts with "/". Throws
  /// std::runtime_error when there is none.
  static std::string extractLink(const std::string& text, const std::string& pathPrefix);

 private:
  struct Cookie {
    std::string value;
    std::string path;
    std::optional<std::chrono::system_clock::time_point> expires;
  };

  void storeCookies(const Poco::Net::HTTPResponse& response);
  std::string cookieHeaderFor(const std::string& path);

  std::string host_;
  std::uint16_t port_;
  std::chrono::milliseconds timeout_{30000};
  std::map<std::string, Cookie> cookies_;
};

}  // namespace ruche::testing
