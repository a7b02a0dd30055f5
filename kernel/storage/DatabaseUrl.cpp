#include "kernel/storage/DatabaseUrl.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <stdexcept>

namespace ruche::storage {
namespace {

// libpq key=value values are quoted with single quotes, backslash-escaped.
std::string quoteValue(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

ConnectionTarget parsePostgres(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("not a valid PostgreSQL URL: " + e.message());
  }
  if (uri.getHost().empty()) {
    throw std::invalid_argument("PostgreSQL URL has no host");
  }
  std::string dbname = uri.getPath();
  if (!dbname.empty() && dbname[0] == '/') {
    dbname = dbname.substr(1);
  }
  if (dbname.empty()) {
    throw std::invalid_argument("PostgreSQL URL has no database name");
  }
  std::string user;
  std::string password;
  const std::string& userInfo = uri.getUserInfo();
  auto colon = userInfo.find(':');
  if (colon == std::string::npos) {
    user = userInfo;
  } else {
    user = userInfo.substr(0, colon);
    Poco::URI::decode(userInfo.substr(colon + 1), password);
  }
  ConnectionTarget target;
  target.backend = Backend::Postgres;
  std::string cs = "host=" + quoteValue(uri.getHost()) + " dbname=" + quoteValue(dbname);
  if (uri.getPort() != 0) {
    cs += " port=" + std::to_string(uri.getPort());
  }
  if (!user.empty()) {
    cs += " user=" + quoteValue(user);
  }
  if (!password.empty()) {
    cs += " password=" + quoteValue(password);
  }
  for (const auto& [key, value] : uri.getQueryParameters()) {
    if (key != "sslmode" && key != "connect_timeout" && key != "application_name") {
      throw std::invalid_argument("unsupported PostgreSQL URL parameter \"" + key + "\"");
    }
    cs += " " + key + "=" + quoteValue(value);
  }
  target.sociConnectString = cs;
  target.sqlitePath = uri.getHost() + ":" + std::to_string(uri.getPort()) + "/" + dbname;
  return target;
}

}  // namespace

std::string ConnectionTarget::describe() const {
  return backend == Backend::Sqlite ? "SQLite " + sqlitePath : "PostgreSQL " + sqlitePath;
}

ConnectionTarget parseDatabaseUrl(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.empty()) {
      throw std::invalid_argument("sqlite: URL has no file path");
    }
    if (path.find_first_of(" \t'\"") != std::string::npos) {
      throw std::invalid_argument("sqlite: path must not contain spaces or quotes: " + path);
    }
    ConnectionTarget target;
    target.backend = Backend::Sqlite;
    target.sqlitePath = path;
    // SOCI's SQLite backend takes "db=PATH timeout=SECONDS" (busy timeout).
    target.sociConnectString = "db=" + path + " timeout=10";
    return target;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return parsePostgres(url);
  }
  throw std::invalid_argument("database URL must start with sqlite: or postgresql://");
}

}  // namespace ruche::storage
