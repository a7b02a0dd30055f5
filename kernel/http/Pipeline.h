#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "kernel/http/HttpError.h"
#include "kernel/http/Middleware.h"
#include "kernel/http/Router.h"

namespace ruche::http {

/// Renders an HTML error page (the themes module provides the themed one).
using ErrorPageRenderer = std::function<void(Request&, Response&, const HttpError&)>;

/// One request's path after parsing: middlewares → route → handler, and the
/// one place where exceptions become problem JSON or an error page. Knows
/// nothing about sockets, so tests drive it directly.
class Pipeline {
 public:
  explicit Pipeline(const Router& router) : router_(router) {}

  void use(std::shared_ptr<Middleware> middleware) { middlewares_.push_back(std::move(middleware)); }
  /// A check that runs only once a route matched (so 404 and 405 come first),
  /// before the route's guard: CSRF lives here.
  void useAfterRouting(std::shared_ptr<Middleware> check) { routeChecks_.push_back(std::move(check)); }
  void setErrorPage(ErrorPageRenderer renderer) { errorPage_ = std::move(renderer); }

  /// Never throws: every failure ends as a response.
  void handle(Request& request, Response& response) const;

  /// Writes `error` into `response` as problem JSON or an error page.
  void renderError(Request& request, Response& response, const HttpError& error) const;

  /// For a request refused before the pipeline ran (too large, malformed):
  /// the error, plus every middleware's `after` step (security headers…).
  void refuse(Request& request, Response& response, const HttpError& error) const;

 private:
  void dispatch(Request& request, Response& response) const;
  void runAfterSteps(Request& request, Response& response) const;

  const Router& router_;
  std::vector<std::shared_ptr<Middleware>> middlewares_;
  std::vector<std::shared_ptr<Middleware>> routeChecks_;
  ErrorPageRenderer errorPage_;
};

}  // namespace ruche::http
