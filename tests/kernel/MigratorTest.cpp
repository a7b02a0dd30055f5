#include <doctest/doctest.h>

#include "kernel/app/App.h"
#include "kernel/storage/Migrator.h"
#include "tests/kernel/TestServer.h"

using namespace ruche;
using namespace ruche::testing;

TEST_CASE("migration text splits into statements and adapts to the backend") {
  auto sqlite = storage::Migrator::statementsFor("-- note\nCREATE TABLE a (id {{id}});\nCREATE TABLE b (x {{blob}});\n",
                                                 storage::Backend::Sqlite);
  REQUIRE(sqlite.size() == 2);
  CHECK(sqlite[0].find("INTEGER PRIMARY KEY AUTOINCREMENT") != std::string::npos);
  CHECK(sqlite[1].find("BLOB") != std::string::npos);
  auto pg = storage::Migrator::statementsFor("CREATE TABLE a (id {{id}});", storage::Backend::Postgres);
  REQUIRE(pg.size() == 1);
  CHECK(pg[0].find("BIGSERIAL PRIMARY KEY") != std::string::npos);
  CHECK(pg[0].back() != ';');

  const char* split = "CREATE TABLE c (x INTEGER);\n  {{postgresql}} ALTER TABLE c ALTER COLUMN x SET STATISTICS 10;\n";
  auto onSqlite = storage::Migrator::statementsFor(split, storage::Backend::Sqlite);
  REQUIRE(onSqlite.size() == 1);
  CHECK(onSqlite[0] == "CREATE TABLE c (x INTEGER)");
  auto onPostgres = storage::Migrator::statementsFor(split, storage::Backend::Postgres);
  REQUIRE(onPostgres.size() == 2);
  CHECK(onPostgres[1] == " ALTER TABLE c ALTER COLUMN x SET STATISTICS 10");
  // A stray ';' line is no statement.
  CHECK(storage::Migrator::statementsFor("CREATE TABLE d (x INTEGER);\n;\n", storage::Backend::Postgres).size() == 1);
}

TEST_CASE("migrations apply once, are recorded, and a newer database is refused") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TempDir dir;
      auto db = storage::Database::open(freshDatabaseUrl(backend, dir.path()), 2);
      storage::Migrator migrator(*db);
      auto modules = app::App::allMigrations();
      int known = 0;
      for (const auto& module : modules) {
        known += static_cast<int>(module.migrations.size());
      }
      CHECK(migrator.migrate(modules) == known);
      CHECK(migrator.migrate(modules) == 0);
      auto status = migrator.status(modules);
      REQUIRE(status.size() == modules.size());
      CHECK(status.front().applied == status.front().known);

      long long skills = 0;
      {
        storage::Database::Session session(*db);
        *session << "SELECT COUNT(*) FROM skills", soci::into(skills);
      }
      CHECK(skills > 10);

      db->transaction([](soci::session& sql) {
        sql << "INSERT INTO schema_migrations (module, version, name, applied_at) VALUES ('kernel', 999, 'future', 0)";
      });
      CHECK_THROWS_AS(migrator.migrate(modules), storage::SchemaTooNew);
    }
  }
}

TEST_CASE("a failing migration leaves nothing behind") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TempDir dir;
      auto db = storage::Database::open(freshDatabaseUrl(backend, dir.path()), 1);
      storage::ModuleMigrations broken{
          "probe", {{1, "half", "CREATE TABLE probe_a (x INTEGER);\nCREATE TABLE probe_a (x INTEGER);"}}};
      storage::Migrator migrator(*db);
      CHECK_THROWS(migrator.migrate({broken}));
      long long recorded = -1;
      {
        storage::Database::Session session(*db);
        *session << "SELECT COUNT(*) FROM schema_migrations WHERE module = 'probe'", soci::into(recorded);
      }
      CHECK(recorded == 0);
      // The first CREATE was rolled back with the failing one.
      CHECK_NOTHROW(
          migrator.migrate({storage::ModuleMigrations{"probe", {{1, "ok", "CREATE TABLE probe_a (x INTEGER);"}}}}));
    }
  }
}

TEST_CASE("nested sessions and transactions on one thread share one connection") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TempDir dir;
      // One connection only: a second borrow from the pool would wait forever.
      auto db = storage::Database::open(freshDatabaseUrl(backend, dir.path()), 1);
      storage::Migrator(*db).migrate(app::App::allMigrations());
      long long now = storage::nowSeconds();
      {
        storage::Database::Session outer(*db);
        db->transaction([&](soci::session& sql) {
          sql << "INSERT INTO associations (slug, name, created_at) VALUES ('a1', 'A1', :t)", soci::use(now);
          db->transaction([&](soci::session& inner) {
            inner << "INSERT INTO associations (slug, name, created_at) VALUES ('a2', 'A2', :t)", soci::use(now);
          });
          storage::Database::Session nested(*db);
          long long seen = 0;
          *nested << "SELECT COUNT(*) FROM associations", soci::into(seen);
          CHECK(seen == 2);  // the nested session reads inside the open transaction
        });
      }
      CHECK_THROWS(db->transaction([&](soci::session& sql) {
        sql << "INSERT INTO associations (slug, name, created_at) VALUES ('a3', 'A3', :t)", soci::use(now);
        db->transaction([&](soci::session& inner) {
          inner << "INSERT INTO associations (slug, name, created_at) VALUES ('a1', 'dup', :t)", soci::use(now);
        });
      }));
      storage::Database::Session after(*db);
      long long count = 0;
      *after << "SELECT COUNT(*) FROM associations", soci::into(count);
      CHECK(count == 2);  // a3 rolled back with the failing inner insert
    }
  }
}
