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
  // Only a path of this site: "/…", never "//host" — and no backslash or
  // control character anywhere, since browsers drop tabs and newlines and read
  // "\\" as "/", which would turn "/<TAB>/evil.example" into "//evil.example".
  bool local = next.size() > 1 && next[0] == '/' && next[1] != '/';
  for (char c : next) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '\\') {
      local = false;
    }
  }
  return local ? next : "/me";
}

}  // namespace ruche::web
