#pragma once

#include "kernel/auth/ApiTokens.h"
#include "kernel/auth/SessionStore.h"
#include "kernel/http/Middleware.h"

namespace ruche::auth {

inline constexpr const char* kSessionCookie = "ruche_session";
inline constexpr const char* kCsrfCookie = "ruche_csrf";

/// Finds the visitor: a Bearer API token, or the session cookie. Gives every
/// visitor a CSRF token — the session's, or for anonymous visitors a random
/// one kept in a cookie (double submit), so sign-up and login are protected.
/// A new anonymous token's cookie is set only when the answer holds the token
/// (a form) or comes from the JSON API: pages without a form stay cookie-free.
class SessionMiddleware : public http::Middleware {
 public:
  SessionMiddleware(SessionStore& sessions, ApiTokens& tokens, bool secureCookies)
      : sessions_(sessions), tokens_(tokens), secure_(secureCookies) {}
  void before(http::Request& request, http::Response& response) override;
  void after(http::Request& request, http::Response& response) override;

 private:
  SessionStore& sessions_;
  ApiTokens& tokens_;
  bool secure_;
};

/// Refuses (403) an unsafe method whose `_csrf` field or X-CSRF-Token header
/// does not match the visitor's token. API calls made with a Bearer token
/// carry no ambient credentials and are exempt; so are embeddable routes,
/// which run as an anonymous visitor (framed by other sites, where the
/// browser sends none of our cookies).
class CsrfMiddleware : public http::Middleware {
 public:
  void before(http::Request& request, http::Response& response) override;
};

}  // namespace ruche::auth
