# Every dependency comes from Debian 12 packages; see docs/admin-guide.md.
find_package(Poco 1.11 CONFIG REQUIRED COMPONENTS Foundation Util Net JSON Crypto)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)
find_package(PostgreSQL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(SQLite3 REQUIRED)
# Plural rules, dates in a time zone and number formats (libicu-dev).
find_package(ICU REQUIRED COMPONENTS uc i18n)

# SOCI ships neither a CMake config nor a pkg-config file on Debian 12.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY soci_postgresql REQUIRED)

add_library(Soci::core UNKNOWN IMPORTED)
set_target_properties(Soci::core PROPERTIES
  IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${CMAKE_DL_LIBS}")
add_library(Soci::sqlite3 UNKNOWN IMPORTED)
set_target_properties(Soci::sqlite3 PROPERTIES
  IMPORTED_LOCATION "${SOCI_SQLITE3_LIBRARY}"
  INTERFACE_LINK_LIBRARIES "Soci::core;SQLite::SQLite3")
add_library(Soci::postgresql UNKNOWN IMPORTED)
set_target_properties(Soci::postgresql PROPERTIES
  IMPORTED_LOCATION "${SOCI_POSTGRESQL_LIBRARY}"
  INTERFACE_LINK_LIBRARIES "Soci::core;PostgreSQL::PostgreSQL")

# kainjow Mustache is one header without a CMake config.
find_path(MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
add_library(Kainjow::mustache INTERFACE IMPORTED)
set_target_properties(Kainjow::mustache PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${MUSTACHE_INCLUDE_DIR}")
