#include "kernel/http/SecurityHeaders.h"

namespace ruche::http {

void SecurityHeaders::after(Request& request, Response& response) {
  // Only a route declared embeddable may be framed, by any site; every other
  // page refuses frames twice (CSP for today's browsers, X-Frame-Options for
  // older ones).
  std::string frameAncestors = request.embeddable ? "*" : "'none'";
  response.headers["Content-Security-Policy"] =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      "form-action 'self'; frame-ancestors " +
      frameAncestors + "; base-uri 'none'; object-src 'none'";
  response.headers["X-Content-Type-Options"] = "nosniff";
  response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
  if (request.embeddable) {
    response.headers.erase("X-Frame-Options");
  } else {
    response.headers["X-Frame-Options"] = "DENY";
  }
  if (https_) {
    response.headers["Strict-Transport-Security"] = "max-age=31536000";
  }
}

}  // namespace ruche::http
