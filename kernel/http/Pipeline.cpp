#include "kernel/http/Pipeline.h"

#include <Poco/Logger.h>

#include "kernel/http/ProblemDocument.h"

namespace ruche::http {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

}  // namespace

void Pipeline::dispatch(Request& request, Response& response) const {
  Router::Match match = router_.match(request.method, request.path);
  if (match.handler == nullptr) {
    if (match.allowed.empty()) {
      throw notFound("No page at " + request.path + ".");
    }
    HttpError error(405, "Method Not Allowed", request.method + " is not allowed here.");
    error.headers.emplace_back("Allow", joined(match.allowed));
    throw error;
  }
  request.pathParams = std::move(match.params);
  if (match.embeddable) {
    // Inside another site's frame the browser sends none of our cookies; a
    // POST there cannot carry the CSRF double-submit, so it must not act
    // with anyone's rights either: the visitor is anonymous, whatever the
    // session said.
    request.embeddable = true;
    request.visitor = Visitor{};
    request.sessionToken.clear();
  }
  for (const auto& check : routeChecks_) {
    check->before(request, response);
  }
  match.guard->check(request);
  (*match.handler)(request, response);
}

void Pipeline::handle(Request& request, Response& response) const {
  std::size_t entered = 0;
  try {
    for (; entered != middlewares_.size(); ++entered) {
      middlewares_[entered]->before(request, response);
    }
    dispatch(request, response);
  } catch (const HttpError& error) {
    renderError(request, response, error);
  } catch (const std::exception& e) {
    // Log the cause with the request id; the client gets no internals.
    Poco::Logger::get("ruche.http")
        .error("unhandled error on %s %s: %s", request.method, request.path, std::string(e.what()));
    renderError(request, response, HttpError(500, "Internal Server Error", "Something went wrong on our side."));
  }
  runAfterSteps(request, response);
}

void Pipeline::runAfterSteps(Request& request, Response& response) const {
  for (std::size_t i = middlewares_.size(); i-- > 0;) {
    try {
      middlewares_[i]->after(request, response);
    } catch (const std::exception& e) {
      Poco::Logger::get("ruche.http").error("middleware after-step failed: %s", std::string(e.what()));
    }
  }
}

void Pipeline::refuse(Request& request, Response& response, const HttpError& error) const {
  renderError(request, response, error);
  runAfterSteps(request, response);
}

void Pipeline::renderError(Request& request, Response& response, const HttpError& error) const {
  response.headers.erase("Location");
  for (const auto& [name, value] : error.headers) {
    response.headers[name] = value;
  }
  bool wantsJson = request.isApi() || request.header("accept").find("application/json") == 0;
  if (wantsJson || !errorPage_) {
    response.status = error.status();
    response.contentType = "application/problem+json";
    response.body = problemJson(error, request.path);
    return;
  }
  try {
    errorPage_(request, response, error);
    response.status = error.status();
  } catch (const std::exception& e) {
    Poco::Logger::get("ruche.http").error("error page failed: %s", std::string(e.what()));
    response.text(error.title() + "\n", error.status());
  }
}

}  // namespace ruche::http
