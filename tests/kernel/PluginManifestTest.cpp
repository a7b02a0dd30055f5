// The checks the host makes before touching a plugin's library: manifest
// fields, version ranges, settings values, migrations, SQL placeholders.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "kernel/plugins/KernelDatabase.h"
#include "kernel/plugins/Manifest.h"
#include "kernel/plugins/PluginMigrations.h"
#include "kernel/plugins/SettingsSchema.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::plugins;

namespace {

const std::string kValid = R"({"name": "petitions", "version": "1.2.3", "sdk": ">=1.0 <2",
  "title": {"fr": "Pétitions", "en": "Petitions"}, "description": {"fr": "Signer.", "en": "Sign."}%s})";

std::string manifestWith(const std::string& extra) {
  std::string text = kValid;
  return text.replace(text.find("%s"), 2, extra);
}

/// The message of the PluginError that parsing `text` raises, or "" if none.
std::string refusal(const std::string& text) {
  try {
    parseManifest(text, "/srv/plugins/petitions/plugin.json");
  } catch (const PluginError& e) {
    return e.what();
  }
  return "";
}

bool mentions(const std::string& message, const std::string& part) {
  return message.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a valid manifest is read with its settings, dependencies and capabilities") {
  Manifest m = parseManifest(manifestWith(R"(, "dependencies": {"matching": ">=1.1"}, "capabilities": ["mail", "jobs"],
      "settings": [{"key": "goal", "type": "integer", "label": {"fr": "Objectif", "en": "Goal"}, "default": 100,
                    "min": 1, "max": 1000000},
                   {"key": "open", "type": "boolean", "label": {"fr": "Ouverte", "en": "Open"}}])"),
                             "/srv/plugins/petitions/plugin.json");
  CHECK(m.name == "petitions");
  CHECK(m.version == SemVer{1, 2, 3});
  CHECK(m.sdk.contains(SemVer{1, 0, 0}));
  CHECK_FALSE(m.sdk.contains(SemVer{2, 0, 0}));
  CHECK(m.dependencies.count("matching") == 1);
  CHECK(m.can("mail"));
  CHECK_FALSE(m.can("federation"));
  REQUIRE(m.settings.size() == 2);
  CHECK(m.settings[0].defaultValue == "100");
  CHECK(m.settings[1].defaultValue == "false");
  CHECK(m.folder == "/srv/plugins/petitions");
}

TEST_CASE("a manifest is refused with the file and the field that is wrong") {
  const std::string file = "/srv/plugins/petitions/plugin.json";
  CHECK(mentions(refusal("{\"name\": "), file + ": not a JSON object"));
  CHECK(mentions(refusal(R"({"version": "1.0.0"})"), "field \"name\": is required"));
  CHECK(mentions(refusal(R"({"name": "Petitions"})"), "field \"name\": \"Petitions\" must be 2 to 31"));
  CHECK(mentions(refusal(R"({"name": "mission"})"), "field \"name\": \"mission\" is reserved"));
  std::string badVersion = manifestWith("");
  badVersion.replace(badVersion.find("1.2.3"), 5, "1.2");
  CHECK(mentions(refusal(badVersion), "field \"version\": \"1.2\" is not a version MAJOR.MINOR.PATCH"));
  CHECK(mentions(refusal(manifestWith(R"(, "colour": "blue")")), "field \"colour\": unknown key"));
  std::string noEnglish = manifestWith("");
  noEnglish.replace(noEnglish.find(", \"en\": \"Petitions\""), 19, "");
  CHECK(mentions(refusal(noEnglish), "field \"title\": needs a English (en) text"));
  CHECK(mentions(refusal(manifestWith(R"(, "capabilities": ["root"])")),
                 "field \"capabilities[0]\": \"root\" is not one of"));
  CHECK(
      mentions(refusal(manifestWith(R"(, "dependencies": {"petitions": ">=1"})")), "a plugin cannot depend on itself"));
  CHECK(mentions(refusal(manifestWith(R"(, "dependencies": {"matching": "about 1"})")),
                 "field \"dependencies.matching\": \"about\" is not a comparator"));
  CHECK(mentions(refusal(manifestWith(R"(, "settings": [{"key": "goal", "type": "number",
                                           "label": {"fr": "O", "en": "G"}}])")),
                 "field \"settings.goal.type\": \"number\" is not one of"));
  CHECK(mentions(refusal(manifestWith(R"(, "settings": [{"key": "goal", "type": "integer", "max": 10,
                                           "default": 11, "label": {"fr": "O", "en": "G"}}])")),
                 "field \"settings.goal.default\": Must be at most 10."));
  CHECK(mentions(refusal(manifestWith(R"(, "settings": [{"key": "kind", "type": "choice",
                                           "label": {"fr": "T", "en": "K"}}])")),
                 "field \"settings.kind.choices\": is required for a choice"));
  CHECK(mentions(refusal(manifestWith(R"(, "settings": [{"key": "a", "type": "text", "label": {"fr": "A", "en": "A"}},
                                                       {"key": "a", "type": "text", "label": {"fr": "A", "en": "A"}}])")),
                 "\"a\" is declared twice"));
}

TEST_CASE("version ranges hold every comparator and refuse what they cannot read") {
  auto range = VersionRange::parse(">=1.2 <2");
  CHECK(range.contains(SemVer{1, 2, 0}));
  CHECK(range.contains(SemVer{1, 9, 9}));
  CHECK_FALSE(range.contains(SemVer{1, 1, 9}));
  CHECK_FALSE(range.contains(SemVer{2, 0, 0}));
  CHECK(VersionRange::parse("1.0.0").contains(SemVer{1, 0, 0}));
  CHECK_FALSE(VersionRange::parse("1.0.0").contains(SemVer{1, 0, 1}));
  CHECK(VersionRange::parse(">1 <=3.1").contains(SemVer{3, 1, 0}));
  CHECK_THROWS_AS(VersionRange::parse(""), std::invalid_argument);
  CHECK_THROWS_AS(VersionRange::parse(">=1.x"), std::invalid_argument);
  CHECK_FALSE(SemVer::parse("01.0.0"));
  CHECK_FALSE(SemVer::parse("1.0.0-beta"));
}

TEST_CASE("settings values are checked against their definitions and secrets are kept when left empty") {
  Manifest m = parseManifest(manifestWith(R"(, "settings": [
        {"key": "goal", "type": "integer", "label": {"fr": "O", "en": "G"}, "min": 1, "max": 100, "required": true},
        {"key": "site", "type": "url", "label": {"fr": "S", "en": "S"}},
        {"key": "contact", "type": "email", "label": {"fr": "C", "en": "C"}},
        {"key": "kind", "type": "choice", "label": {"fr": "T", "en": "K"}, "choices": ["a", "b"]},
        {"key": "short", "type": "text", "label": {"fr": "C", "en": "S"}, "maxLength": 3},
        {"key": "open", "type": "boolean", "label": {"fr": "O", "en": "O"}},
        {"key": "token", "type": "secret", "label": {"fr": "J", "en": "T"}}])"),
                             "/srv/plugins/petitions/plugin.json");
  auto update = checkSettings(m,
                              {{"goal", "abc"},
                               {"site", "javascript:alert(1)"},
                               {"contact", "nobody"},
                               {"kind", "c"},
                               {"short", "éèàù"},
                               {"open", "on"},
                               {"token", ""}},
                              {{"token", "s3cret"}});
  std::map<std::string, std::string> codes;
  for (const auto& problem : update.problems) {
    codes[problem.key] = problem.code;
  }
  CHECK(codes["goal"] == "integer");
  CHECK(codes["site"] == "url");
  CHECK(codes["contact"] == "email");
  CHECK(codes["kind"] == "choice");
  CHECK(codes["short"] == "too_long");
  CHECK(codes.count("open") == 0);
  CHECK(update.values["open"] == "true");
  CHECK(update.values["token"] == "s3cret");
  CHECK(checkSettings(m, {{"goal", ""}}, {}).problems.front().code == "required");
  CHECK(checkSettings(m, {{"goal", "101"}}, {}).problems.front().code == "max");
  CHECK(checkSettings(m, {{"goal", "100"}, {"short", "àéè"}}, {}).problems.empty());
}

TEST_CASE("plugin migrations are read per backend and must name their tables after the plugin") {
  ruche::testing::TempDir dir;
  auto folder = dir.path() / "petitions";
  std::filesystem::create_directories(folder / "migrations");
  std::ofstream(folder / "plugin.json") << manifestWith("");
  std::ofstream(folder / "migrations" / "001_start.sql") << "CREATE TABLE petitions_items (id {{id}});\n";
  std::ofstream(folder / "migrations" / "002_search.sqlite.sql")
      << "CREATE INDEX petitions_fts ON petitions_items (id);\n";
  std::ofstream(folder / "migrations" / "002_search.postgresql.sql")
      << "CREATE INDEX IF NOT EXISTS petitions_gin ON petitions_items (id);\n";
  Manifest m = readManifest(folder.string());
  auto sqlite = pluginMigrations(m, ruche::storage::Backend::Sqlite);
  auto postgres = pluginMigrations(m, ruche::storage::Backend::Postgres);
  CHECK(sqlite.module == "plugin:petitions");
  REQUIRE(sqlite.migrations.size() == 2);
  CHECK(mentions(sqlite.migrations[1].sql, "petitions_fts"));
  CHECK(mentions(postgres.migrations[1].sql, "petitions_gin"));

  std::ofstream(folder / "migrations" / "003_oops.sql") << "create table if not exists accounts_copy (id int);\n";
  try {
    pluginMigrations(m, ruche::storage::Backend::Sqlite);
    FAIL("a migration creating accounts_copy was accepted");
  } catch (const PluginError& e) {
    CHECK(mentions(e.what(), "003_oops.sql: creates \"accounts_copy\""));
  }
  // Whatever the words between CREATE and TABLE, INDEX or VIEW.
  for (const char* sql :
       {"CREATE UNLOGGED TABLE accounts_copy (id int);\n", "CREATE TEMPORARY TABLE accounts_copy (id int);\n",
        "CREATE UNIQUE INDEX CONCURRENTLY accounts_copy ON petitions_items (id);\n",
        "CREATE MATERIALIZED VIEW accounts_copy AS SELECT 1;\n",
        "CREATE OR REPLACE VIEW accounts_copy AS SELECT 1;\n"}) {
    CAPTURE(sql);
    std::ofstream(folder / "migrations" / "003_oops.sql") << sql;
    CHECK_THROWS_WITH_AS(pluginMigrations(m, ruche::storage::Backend::Postgres),
                         doctest::Contains("creates \"accounts_copy\""), PluginError);
  }
  std::ofstream(folder / "migrations" / "003_oops.sql") << "CREATE UNLOGGED TABLE petitions_counts (id int);\n";
  CHECK(pluginMigrations(m, ruche::storage::Backend::Postgres).migrations.size() == 3);
  std::filesystem::remove(folder / "migrations" / "003_oops.sql");
  // Both files of a split migration are checked, whichever database runs.
  std::ofstream(folder / "migrations" / "003_split.sqlite.sql") << "CREATE TABLE petitions_split (id int);\n";
  std::ofstream(folder / "migrations" / "003_split.postgresql.sql") << "CREATE TABLE accounts_copy (id int);\n";
  CHECK_THROWS_WITH_AS(pluginMigrations(m, ruche::storage::Backend::Sqlite),
                       doctest::Contains("003_split.postgresql.sql: creates \"accounts_copy\""), PluginError);
  std::filesystem::remove(folder / "migrations" / "003_split.sqlite.sql");
  std::filesystem::remove(folder / "migrations" / "003_split.postgresql.sql");
  std::ofstream(folder / "migrations" / "004_gap.sql") << "CREATE TABLE petitions_more (id int);\n";
  CHECK_THROWS_WITH_AS(pluginMigrations(m, ruche::storage::Backend::Sqlite),
                       doctest::Contains("migration 3 is missing"), PluginError);
}

TEST_CASE("plugin SQL uses question marks outside quotes and comments and the count must match") {
  CHECK(KernelDatabase::namedPlaceholders("SELECT a FROM t WHERE b = ? AND c = ?", 2) ==
        "SELECT a FROM t WHERE b = :p1 AND c = :p2");
  CHECK(KernelDatabase::namedPlaceholders("SELECT '?', \"a?\" FROM t -- why?\nWHERE x = ?", 1) ==
        "SELECT '?', \"a?\" FROM t -- why?\nWHERE x = :p1");
  CHECK(KernelDatabase::namedPlaceholders("SELECT x::text FROM t WHERE y = ?", 1) ==
        "SELECT x::text FROM t WHERE y = :p1");
  CHECK_THROWS_AS(KernelDatabase::namedPlaceholders("SELECT ? , ?", 1), std::invalid_argument);
  CHECK_THROWS_AS(KernelDatabase::namedPlaceholders("SELECT * FROM t WHERE a = :a", 0), std::invalid_argument);
}
