#include <filesystem>
#include <fstream>
#include <sstream>

#include "kernel/http/HttpError.h"
#include "kernel/web/Registrations.h"

namespace ruche::web {
namespace {

std::string contentTypeFor(const std::string& name) {
  auto ends = [&](const std::string& ext) {
    return name.size() >= ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0;
  };
  if (ends(".css")) {
    return "text/css; charset=utf-8";
  }
  if (ends(".svg")) {
    return "image/svg+xml";
  }
  if (ends(".png")) {
    return "image/png";
  }
  if (ends(".js")) {
    return "text/javascript; charset=utf-8";
  }
  return "application/octet-stream";
}

}  // namespace

void registerSystemRoutes(http::Router& router, app::Services& services) {
  router.get("/healthz", services.guards.anyone(),
             [](http::Request&, http::Response& response) { response.json(R"({"status":"ok"})"); });
  router.get("/readyz", services.guards.anyone(), [&services](http::Request&, http::Response& response) {
    try {
      storage::Database::Session session(services.db);
      int one = 0;
      *session << "SELECT 1", soci::into(one);
      response.json(R"({"status":"ready","database":"ok"})");
    } catch (const std::exception&) {
      response.json(R"({"status":"unavailable","database":"unreachable"})", 503);
    }
  });
  router.get("/assets/{file}", services.guards.anyone(), [&services](http::Request& request, http::Response& response) {
    std::string file = request.param("file");
    if (file.find("..") != std::string::npos || file.find('/') != std::string::npos) {
      throw http::notFound();
    }
    std::filesystem::path path = std::filesystem::path(services.templates.assetsDir()) / file;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      throw http::notFound("No asset named " + file + ".");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    response.status = 200;
    response.contentType = contentTypeFor(file);
    response.body = buffer.str();
    response.headers["Cache-Control"] = "public, max-age=3600";
  });
}

}  // namespace ruche::web
