#pragma once

#include <map>
#include <string>
#include <vector>

namespace ruche::http {

/// Attributes of a cookie Ruche sets; always HttpOnly and SameSite=Lax.
struct CookieOptions {
  int maxAgeSeconds = -1;  ///< -1: session cookie; 0: delete
  bool secure = false;
};

/// What a handler produces; written to the socket by the pipeline.
class Response {
 public:
  int status = 200;
  std::string contentType = "text/html; charset=utf-8";
  std::string body;
  std::map<std::string, std::string> headers;
  std::vector<std::string> setCookies;
  bool closeConnection = false;

  void html(std::string content, int code = 200);
  void json(std::string content, int code = 200);
  void text(std::string content, int code = 200);
  /// 303 See Other: the browser follows with GET (post/redirect/get).
  void redirect(const std::string& location, int code = 303);
  void setCookie(const std::string& name, const std::string& value, const CookieOptions& options);
};

}  // namespace ruche::http
