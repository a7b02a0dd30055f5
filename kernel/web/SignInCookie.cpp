#include "kernel/web/SignInCookie.h"

#include "kernel/auth/SessionMiddleware.h"

namespace ruche::web {

void signIn(app::Services& services, const http::Request& request, http::Response& response, long long accountId) {
  if (!request.sessionToken.empty()) {
    services.sessions.destroy(request.sessionToken);
  }
  std::string token = services.sessions.create(accountId);
  response.setCookie(auth::kSessionCookie, token,
                     {static_cast<int>(auth::SessionStore::kLifetimeSeconds), services.settings.secureCookies()});
}

void signOut(app::Services& services, const http::Request& request, http::Response& response) {
  if (!request.sessionToken.empty()) {
    services.sessions.destroy(request.sessionToken);
  }
  response.setCookie(auth::kSessionCookie, "", {0, services.settings.secureCookies()});
}

std::string safeNext(const std::string& next) {
  if (next.size() > 1 && next[0] == '/' && next[1] != '/' && next[1] != '\\' &&
      next.find_first_of("\r\n") == std::string::npos) {
    return next;
  }
  return "/me";
}

}  // namespace ruche::web
