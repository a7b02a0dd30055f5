#include "kernel/auth/SessionMiddleware.h"

#include "kernel/auth/Secrets.h"
#include "kernel/http/HttpError.h"

namespace ruche::auth {

void SessionMiddleware::before(http::Request& request, http::Response& response) {
  // API tokens open the JSON API only: the pages (token management, account
  // deletion, the admin panel) need a signed-in browser session.
  std::string authorization = request.header("authorization");
  if (request.isApi() && authorization.rfind("Bearer ", 0) == 0) {
    auto visitor = tokens_.authenticate(authorization.substr(7));
    if (!visitor) {
      http::HttpError error(401, "Unauthorized", "The API token is unknown or revoked.");
      error.headers.emplace_back("WWW-Authenticate", "Bearer");
      throw error;
    }
    request.visitor = *visitor;
    return;
  }
  std::string token = request.cookie(kSessionCookie);
  if (!token.empty()) {
    if (auto session = sessions_.load(token)) {
      request.visitor = session->visitor;
      request.csrfToken = session->csrfToken;
      request.sessionToken = token;
      return;
    }
    response.setCookie(kSessionCookie, "", {0, secure_});
  }
  std::string csrf = request.cookie(kCsrfCookie);
  if (csrf.size() < 20 || csrf.size() > 64) {
    csrf = randomToken(24);
    request.csrfTokenIsNew = true;
  }
  request.csrfToken = csrf;
}

void SessionMiddleware::after(http::Request& request, http::Response& response) {
  // Any answer that carries the token (a form's hidden field) needs the
  // cookie that the next POST is checked against; so does the JSON API, whose
  // browser scripts send the cookie's value back in X-CSRF-Token.
  if (request.csrfTokenIsNew && (request.isApi() || response.body.find(request.csrfToken) != std::string::npos)) {
    response.setCookie(kCsrfCookie, request.csrfToken, {-1, secure_});
  }
}

void CsrfMiddleware::before(http::Request& request, http::Response&) {
  // Embeddable routes run as an anonymous visitor (see Pipeline::dispatch)
  // and check their own signed form token.
  if (!request.isUnsafeMethod() || request.visitor.viaApiToken || request.embeddable) {
    return;
  }
  std::string sent = request.formValue("_csrf");
  if (sent.empty()) {
    sent = request.header("x-csrf-token");
  }
  if (request.csrfToken.empty() || !constantTimeEquals(sent, request.csrfToken)) {
    throw http::HttpError(403, "Forbidden",
                          "The form has expired or did not come from this site. Reload the page and try again.");
  }
}

}  // namespace ruche::auth
