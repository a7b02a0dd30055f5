#include "kernel/http/SecurityHeaders.h"

namespace ruche::http {

void SecurityHeaders::after(Request&, Response& response) {
  response.headers["Content-Security-Policy"] =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
  response.headers["X-Content-Type-Options"] = "nosniff";
  response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
  response.headers["X-Frame-Options"] = "DENY";
  if (https_) {
    response.headers["Strict-Transport-Security"] = "max-age=31536000";
  }
}

}  // namespace ruche::http
