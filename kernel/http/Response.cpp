#include "kernel/http/Response.h"

namespace ruche::http {

void Response::html(std::string content, int code) {
  status = code;
  contentType = "text/html; charset=utf-8";
  body = std::move(content);
}

void Response::json(std::string content, int code) {
  status = code;
  contentType = "application/json";
  body = std::move(content);
}

void Response::text(std::string content, int code) {
  status = code;
  contentType = "text/plain; charset=utf-8";
  body = std::move(content);
}

void Response::redirect(const std::string& location, int code) {
  status = code;
  headers["Location"] = location;
  contentType = "text/plain; charset=utf-8";
  body.clear();
}

void Response::setCookie(const std::string& name, const std::string& value, const CookieOptions& options) {
  std::string cookie = name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax";
  if (options.maxAgeSeconds >= 0) {
    cookie += "; Max-Age=" + std::to_string(options.maxAgeSeconds);
  }
  if (options.secure) {
    cookie += "; Secure";
  }
  setCookies.push_back(cookie);
}

}  // namespace ruche::http
