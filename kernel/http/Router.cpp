#include "kernel/http/Router.h"

#include <algorithm>
#include <stdexcept>

namespace ruche::http {

std::vector<std::string> Router::split(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start < path.size()) {
    auto slash = path.find('/', start);
    auto end = slash == std::string::npos ? path.size() : slash;
    if (end > start) {
      segments.push_back(path.substr(start, end - start));
    }
    start = end + 1;
  }
  return segments;
}

void Router::add(const std::string& method, const std::string& pattern, Guard guard, Handler handler, bool embeddable) {
  if (!guard.check || guard.name.empty()) {
    throw std::invalid_argument("route without an access guard: " + method + " " + pattern);
  }
  if (pattern.empty() || pattern[0] != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  for (const auto& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      throw std::invalid_argument("route declared twice: " + method + " " + pattern);
    }
  }
  routes_.push_back(Route{method, pattern, split(pattern), std::move(guard), std::move(handler), embeddable});
}

bool Router::matches(const Route& route, const std::vector<std::string>& segments,
                     std::map<std::string, std::string>& params) {
  if (route.segments.size() != segments.size()) {
    return false;
  }
  std::map<std::string, std::string> captured;
  for (std::size_t i = 0; i != segments.size(); ++i) {
    const std::string& expected = route.segments[i];
    if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
      captured[expected.substr(1, expected.size() - 2)] = segments[i];
    } else if (expected != segments[i]) {
      return false;
    }
  }
  params = std::move(captured);
  return true;
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match result;
  auto segments = split(path);
  const std::string& wanted = method == "HEAD" ? std::string("GET") : method;
  // Literal routes win over parameter routes: try exact patterns first.
  const Route* best = nullptr;
  std::map<std::string, std::string> bestParams;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!matches(route, segments, params)) {
      continue;
    }
    if (std::find(result.allowed.begin(), result.allowed.end(), route.method) == result.allowed.end()) {
      result.allowed.push_back(route.method);
      if (route.method == "GET") {
        result.allowed.push_back("HEAD");
      }
    }
    if (route.method == wanted && (best == nullptr || params.size() < bestParams.size())) {
      best = &route;
      bestParams = std::move(params);
    }
  }
  if (best != nullptr) {
    result.handler = &best->handler;
    result.guard = &best->guard;
    result.embeddable = best->embeddable;
    result.params = std::move(bestParams);
  }
  std::sort(result.allowed.begin(), result.allowed.end());
  return result;
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  for (const auto& route : routes_) {
    out.push_back({route.method, route.pattern, route.guard.name});
  }
  return out;
}

}  // namespace ruche::http
