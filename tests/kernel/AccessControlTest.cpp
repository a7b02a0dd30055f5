#include <doctest/doctest.h>

#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

// A concrete path for a route pattern: {slug} (and {org}) → the association,
// any other parameter → a number that exists or not — the guard runs first.
std::string concretePath(const std::string& pattern, const std::string& slug) {
  std::string path;
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    auto open = pattern.find('{', pos);
    if (open == std::string::npos) {
      path += pattern.substr(pos);
      break;
    }
    auto close = pattern.find('}', open);
    std::string name = pattern.substr(open + 1, close - open - 1);
    path += pattern.substr(pos, open - pos);
    path += (name == "slug" || name == "org") ? slug : "1";
    pos = close + 1;
  }
  return path;
}

std::string csrfOf(HttpClient& http) {
  // Every signed-in page has the logout form, which carries the token.
  return HttpClient::csrfFrom(http.get("/").body);
}

struct Caller {
  std::string who;
  HttpClient* http;
  std::string csrf;
};

}  // namespace

TEST_CASE("every coordinator and admin route refuses a volunteer and a member of another association") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long home = server.createAssociation("maison", "Maison");
      long long other = server.createAssociation("ailleurs", "Ailleurs");
      long long volunteer = server.createAccount("vol@example.org", "correct horse battery", "Vol");
      long long outsider = server.createAccount("out@example.org", "correct horse battery", "Out");
      server.grantRole(volunteer, home, "volunteer");
      server.grantRole(outsider, other, "admin");
      HttpClient volunteerHttp = server.signedIn("vol@example.org", "correct horse battery");
      HttpClient outsiderHttp = server.signedIn("out@example.org", "correct horse battery");
      HttpClient anonymous = server.client();
      std::vector<Caller> callers = {{"a volunteer of the association", &volunteerHttp, csrfOf(volunteerHttp)},
                                     {"an admin of another association", &outsiderHttp, csrfOf(outsiderHttp)}};

      int checked = 0;
      for (const auto& route : server.app().router().routes()) {
        bool associationRoute = route.guard.rfind("association:", 0) == 0;
        bool federationRoute = route.guard == "federation-admin";
        if (!associationRoute && !federationRoute) {
          continue;
        }
        // A volunteer role passes "association:volunteer" by design.
        if (route.guard == "association:volunteer") {
          continue;
        }
        std::string path = concretePath(route.pattern, "maison");
        for (auto& caller : callers) {
          auto response = caller.http->request(route.method, path, "_csrf=" + caller.csrf,
                                               "application/x-www-form-urlencoded", {{"X-CSRF-Token", caller.csrf}});
          INFO(caller.who << ": " << route.method << " " << path);
          CHECK(response.status == 403);
        }
        auto response = anonymous.request(route.method, path, "", "application/x-www-form-urlencoded", {});
        INFO("anonymous: " << route.method << " " << path);
        CHECK((response.status == 401 || response.status == 403));
        ++checked;
      }
      CHECK(checked >= 5);
    }
  }
}
