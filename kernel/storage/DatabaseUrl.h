#pragma once

#include <string>

namespace ruche::storage {

enum class Backend { Sqlite, Postgres };

/// `database.url` turned into what SOCI wants. SOCI's PostgreSQL backend
/// rejects libpq URIs, so postgresql://user:pass@host:port/db becomes
/// "host=… port=… dbname=… user=… password=…".
struct ConnectionTarget {
  Backend backend = Backend::Sqlite;
  std::string sociConnectString;
  std::string sqlitePath;        ///< only for SQLite
  std::string describe() const;  ///< for logs: never includes the password
};

/// Throws std::invalid_argument with a one-line reason on a malformed URL.
ConnectionTarget parseDatabaseUrl(const std::string& url);

}  // namespace ruche::storage
