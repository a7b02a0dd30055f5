#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kernel/http/Request.h"
#include "kernel/http/Response.h"

namespace ruche::http {

using Handler = std::function<void(Request&, Response&)>;

/// Who may call a route. Runs before the handler and throws HttpError (401
/// or 403) to refuse. Every route must name one: access is denied by default.
struct Guard {
  std::string name;  ///< e.g. "public", "signed-in", "association:coordinator"
  std::function<void(const Request&)> check;
};

/// A route as declared; also read by the OpenAPI test to compare with the spec.
struct RouteInfo {
  std::string method;
  std::string pattern;
  std::string guard;
};

/// Method + path pattern → handler. Patterns are literal segments and
/// `{name}` segments that capture one path segment: "/missions/{id}".
class Router {
 public:
  /// `embeddable`: other sites may frame this route's pages, and its POST is
  /// not checked against the CSRF cookie but runs as an anonymous visitor
  /// (see sdk::Registrar::embeddableRoute). Off for every kernel route.
  void add(const std::string& method, const std::string& pattern, Guard guard, Handler handler,
           bool embeddable = false);
  void get(const std::string& pattern, Guard guard, Handler handler) {
    add("GET", pattern, std::move(guard), std::move(handler));
  }
  void post(const std::string& pattern, Guard guard, Handler handler) {
    add("POST", pattern, std::move(guard), std::move(handler));
  }

  /// The outcome of matching one request.
  struct Match {
    const Handler* handler = nullptr;  ///< null: no route for this method
    const Guard* guard = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  ///< methods the path accepts (for 405)
    bool embeddable = false;           ///< the matched route may be framed
  };

  /// HEAD matches GET routes. An empty `allowed` with no handler means 404.
  Match match(const std::string& method, const std::string& path) const;

  std::vector<RouteInfo> routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Guard guard;
    Handler handler;
    bool embeddable = false;
  };
  static std::vector<std::string> split(const std::string& path);
  static bool matches(const Route& route, const std::vector<std::string>& segments,
                      std::map<std::string, std::string>& params);

  std::vector<Route> routes_;
};

}  // namespace ruche::http
