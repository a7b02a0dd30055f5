// The plugin host with real plugins (tests/plugins, built with the SDK's
// ruche_add_plugin) loaded into a real server: refusals with their
// messages, per-association enablement without a restart, fault
// containment, transactions, events, settings and personal data.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "kernel/plugins/PluginHost.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;
namespace fs = std::filesystem;

namespace {

/// Copies the built test plugin `name` into `dir`.
void addPlugin(const fs::path& dir, const std::string& name) {
  fs::copy(fs::path(RUCHE_TEST_PLUGINS) / name / name, dir / name, fs::copy_options::recursive);
}

TestServer::Options withPlugins(const fs::path& dir, std::map<std::string, std::string> more = {}) {
  TestServer::Options options;
  options.settings = std::move(more);
  options.settings["plugins.dirs"] = dir.string();
  return options;
}

std::string problemOf(TestServer& server, const std::string& name) {
  const auto* report = server.app().plugins().report(name);
  REQUIRE(report != nullptr);
  return report->problem;
}

long long countRows(TestServer& server, const std::string& sql) {
  ruche::storage::Database::Session session(server.services().db);
  long long n = 0;
  *session << sql, soci::into(n);
  return n;
}

}  // namespace

TEST_CASE("plugins with a wrong ABI tag, SDK range, manifest or factory are refused and the server still serves") {
  TempDir plugins;
  for (const char* name : {"probe", "wrongabi", "oldsdk", "nofactory"}) {
    addPlugin(plugins.path(), name);
  }
  fs::create_directories(plugins.path() / "broken");
  std::ofstream(plugins.path() / "broken" / "plugin.json") << "{\"name\": \"broken\", \"version\": \"1.0\",";
  fs::create_directories(plugins.path() / "typo");
  std::ofstream(plugins.path() / "typo" / "plugin.json")
      << R"({"name": "typo", "version": "1.0.0", "sdk": ">=1.0", "title": {"fr": "T", "en": "T"},
            "description": {"fr": "D", "en": "D"}, "capabilites": []})";

  TestServer server(Backend::Sqlite, withPlugins(plugins.path()));
  auto& host = server.app().plugins();
  CHECK(host.loaded("probe"));
  CHECK_FALSE(host.loaded("wrongabi"));
  CHECK(problemOf(server, "wrongabi").find("ABI tag \"sdk1_clang_libcxx1\" does not match") != std::string::npos);
  CHECK(problemOf(server, "oldsdk").find("field \"sdk\": the plugin needs SDK \">=2.0 <3\"") != std::string::npos);
  CHECK(problemOf(server, "nofactory").find("missing factory symbol \"ruche_plugin_factory\"") != std::string::npos);
  CHECK(problemOf(server, "broken").find("broken/plugin.json: not a JSON object") != std::string::npos);
  CHECK(problemOf(server, "typo").find("field \"capabilites\": unknown key") != std::string::npos);

  auto http = server.client();
  CHECK(http.get("/healthz").status == 200);
  CHECK(http.get("/missions").status == 200);
}

TEST_CASE("a missing dependency and a dependency cycle are refused with their reasons") {
  TempDir plugins;
  for (const char* name : {"probe", "cyca", "cycb", "needy"}) {
    addPlugin(plugins.path(), name);
  }
  TestServer server(Backend::Sqlite, withPlugins(plugins.path()));
  auto& host = server.app().plugins();
  CHECK(host.loaded("probe"));
  CHECK_FALSE(host.loaded("cyca"));
  CHECK_FALSE(host.loaded("cycb"));
  CHECK_FALSE(host.loaded("needy"));
  CHECK(problemOf(server, "cyca").find("dependency cycle") != std::string::npos);
  CHECK(problemOf(server, "needy").find("needs the plugin \"absent\"") != std::string::npos);
}

TEST_CASE("a plugin answers only where its association enabled it and switching needs no restart") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TempDir plugins;
      addPlugin(plugins.path(), "probe");
      TestServer server(backend, withPlugins(plugins.path()));
      long long on = server.createAssociation("ruche-on", "On");
      server.createAssociation("ruche-off", "Off");
      auto& store = server.app().plugins().store();
      auto http = server.client();

      CHECK(http.get("/a/ruche-on/probe/hello").status == 404);
      store.setEnabled("probe", on, true);
      auto hello = http.get("/a/ruche-on/probe/hello");
      CHECK(hello.status == 200);
      CHECK(hello.body == "probe says hello");
      CHECK(http.get("/a/ruche-off/probe/hello").status == 404);
      CHECK(http.get("/api/v1/associations/ruche-off/probe/items").status == 404);

      auto page = http.get("/a/ruche-on/probe");
      CHECK(page.status == 200);
      CHECK(page.body.find("<p id=\"motto\">Toujours prêts</p>") != std::string::npos);
      CHECK(page.body.find("<html") != std::string::npos);  // inside the site layout

      // Guards still apply where the plugin is on.
      CHECK(http.get("/a/ruche-on/probe/staff").status == 401);

      store.setEnabled("probe", on, false);
      CHECK(http.get("/a/ruche-on/probe/hello").status == 404);
      store.setEnabled("probe", on, true);
      store.setState("probe", "disabled", "by a test");
      CHECK(http.get("/a/ruche-on/probe/hello").status == 404);
      CHECK(http.get("/p/probe").status == 404);
      store.setState("probe", "active");
      CHECK(http.get("/a/ruche-on/probe/hello").status == 200);
      auto federation = http.get("/p/probe");
      CHECK(federation.status == 200);
      CHECK(federation.body == "federation probe in 1 associations");
    }
  }
}

TEST_CASE("a throwing plugin route fails only its request and repeated failures switch the plugin off") {
  TempDir plugins;
  addPlugin(plugins.path(), "probe");
  TestServer server(Backend::Sqlite, withPlugins(plugins.path(), {{"plugins.failure_limit", "3"}}));
  long long association = server.createAssociation("ruche-boom", "Boom");
  auto& store = server.app().plugins().store();
  store.setEnabled("probe", association, true);
  auto http = server.client();

  auto page = http.get("/a/ruche-boom/probe/boom");
  CHECK(page.status == 500);
  CHECK(page.body.find("probe boom") == std::string::npos);  // no internals to the client
  CHECK(http.get("/a/ruche-boom/probe/hello").status == 200);
  auto api = http.get("/api/v1/associations/ruche-boom/probe/boom");
  CHECK(api.status == 500);
  CHECK(api.header("content-type").find("application/problem+json") != std::string::npos);
  CHECK(store.isActive("probe"));

  CHECK(http.get("/a/ruche-boom/probe/boom").status == 500);  // the third failure
  CHECK_FALSE(store.isActive("probe"));
  auto state = store.state("probe");
  REQUIRE(state);
  CHECK(state->state == "failing");
  CHECK(state->reason.find("probe boom") != std::string::npos);
  auto failures = store.lastFailures("probe");
  REQUIRE(failures.size() == 3);
  CHECK(failures.front().kind == "request");
  CHECK(failures.front().message.find("GET /a/ruche-boom/probe/boom: probe boom") != std::string::npos);
  CHECK(http.get("/a/ruche-boom/probe/hello").status == 404);
  CHECK(http.get("/missions").status == 200);
}

TEST_CASE("a plugin's writes and events commit with its request and roll back with it") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TempDir plugins;
      addPlugin(plugins.path(), "probe");
      TestServer server(backend, withPlugins(plugins.path()));
      long long association = server.createAssociation("ruche-tx", "Tx");
      server.app().plugins().store().setEnabled("probe", association, true);
      server.createAccount("ana@ruche.test", "correct horse battery", "Ana");
      auto http = server.signedIn("ana@ruche.test", "correct horse battery");

      auto added = http.postFormWithCsrf("/a/ruche-tx/probe/items", "/a/ruche-tx/probe", {{"label", "first"}});
      CHECK(added.status == 303);
      CHECK(added.header("location") == "/a/ruche-tx/probe");
      auto failed = http.postFormWithCsrf("/a/ruche-tx/probe/items", "/a/ruche-tx/probe",
                                          {{"label", "second"}, {"fail_after_write", "1"}});
      CHECK(failed.status == 500);
      CHECK(countRows(server, "SELECT COUNT(*) FROM probe_items") == 1);
      CHECK(countRows(server, "SELECT COUNT(*) FROM event_outbox WHERE topic = 'probe.added'") == 1);

      auto empty = http.postFormWithCsrf("/a/ruche-tx/probe/items", "/a/ruche-tx/probe", {{"label", ""}});
      CHECK(empty.status == 422);
      CHECK(empty.body.find("Ce champ est obligatoire.") != std::string::npos);

      auto json = http.get("/api/v1/associations/ruche-tx/probe/items");
      CHECK(json.status == 200);
      CHECK(json.body == "{\"count\":1}");

      // The subscriber saw the committed event, in its own transaction.
      auto& bus = server.services().events;
      const std::string seen = "SELECT COUNT(*) FROM probe_seen WHERE note LIKE 'probe.added%'";
      for (int i = 0; i < 40 && countRows(server, seen) == 0; ++i) {
        bus.dispatchOnce();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      CHECK(countRows(server, "SELECT COUNT(*) FROM probe_seen WHERE note = 'probe.added first'") == 1);
      CHECK(countRows(server, seen) == 1);  // never the rolled-back one
      // The plugin's job ran once at start, in its own transaction, seeing one association on.
      CHECK(countRows(server, "SELECT COUNT(*) FROM probe_seen WHERE note LIKE 'tally %'") == 1);
    }
  }
}

TEST_CASE("a plugin's HttpError becomes the answer without counting as a failure") {
  TempDir plugins;
  addPlugin(plugins.path(), "probe");
  TestServer server(Backend::Sqlite, withPlugins(plugins.path()));
  long long association = server.createAssociation("ruche-limit", "Limit");
  auto& store = server.app().plugins().store();
  store.setEnabled("probe", association, true);
  store.saveSettings("probe", association, {{"limit", "1"}});
  server.createAccount("ben@ruche.test", "correct horse battery", "Ben");
  auto http = server.signedIn("ben@ruche.test", "correct horse battery");
  CHECK(http.postFormWithCsrf("/a/ruche-limit/probe/items", "/a/ruche-limit/probe", {{"label", "a"}}).status == 303);
  CHECK(http.postFormWithCsrf("/a/ruche-limit/probe/items", "/a/ruche-limit/probe", {{"label", "b"}}).status == 409);
  CHECK(store.lastFailures("probe").empty());
}

TEST_CASE("plugin settings read their defaults and the association's saved values") {
  TempDir plugins;
  addPlugin(plugins.path(), "probe");
  TestServer server(Backend::Sqlite, withPlugins(plugins.path()));
  long long association = server.createAssociation("ruche-set", "Set");
  auto& store = server.app().plugins().store();
  store.setEnabled("probe", association, true);
  auto http = server.client();
  CHECK(http.get("/a/ruche-set/probe/setting/motto").body == "\"Toujours prêts\"");
  CHECK(http.get("/a/ruche-set/probe/setting/limit").body == "3");
  store.saveSettings("probe", association, {{"motto", "Ensemble"}, {"limit", "7"}});
  CHECK(http.get("/a/ruche-set/probe/setting/motto").body == "\"Ensemble\"");
  CHECK(http.get("/a/ruche-set/probe/setting/limit").body == "7");
  // A key the manifest does not declare is the plugin's bug: a 500, counted.
  CHECK(http.get("/a/ruche-set/probe/setting/nope").status == 500);
}

TEST_CASE("a job reads each association's own settings with settingsFor") {
  TempDir plugins;
  addPlugin(plugins.path(), "probe");
  TestServer server(Backend::Sqlite, withPlugins(plugins.path()));
  auto& store = server.app().plugins().store();
  long long first = server.createAssociation("ruche-one", "One");
  long long second = server.createAssociation("ruche-two", "Two");
  store.setEnabled("probe", first, true);
  store.setEnabled("probe", second, true);
  store.saveSettings("probe", second, {{"motto", "Ensemble"}});
  // The job runs at federation level: its own settings() are the defaults.
  // (Its run at start may also have seen both associations, hence ">=".)
  server.app().jobs().runDue(ruche::storage::nowSeconds() + 3601);
  CHECK(countRows(server,
                  "SELECT COUNT(*) FROM probe_seen WHERE note = "
                  "'tally 2 ruche-one=Toujours prêts ruche-two=Ensemble'") >= 1);
}

TEST_CASE("plugins add their part to a person's data export and erase it with the account") {
  TempDir plugins;
  addPlugin(plugins.path(), "probe");
  TestServer server(Backend::Sqlite, withPlugins(plugins.path()));
  long long association = server.createAssociation("ruche-gdpr", "Gdpr");
  auto& host = server.app().plugins();
  host.store().setEnabled("probe", association, true);
  long long account = server.createAccount("cleo@ruche.test", "correct horse battery", "Cléo");
  auto http = server.signedIn("cleo@ruche.test", "correct horse battery");
  REQUIRE(http.postFormWithCsrf("/a/ruche-gdpr/probe/items", "/a/ruche-gdpr/probe", {{"label", "mine"}}).status == 303);
  host.store().setProfileValue(account, "probe", "nickname", "Clé");

  // The person's download holds the plugin's part, under "plugins".
  auto download = http.get("/me/data");
  REQUIRE(download.status == 200);
  CHECK(download.body.find("\"plugins\"") != std::string::npos);
  auto parts = host.exportPersonalData(account, "cleo@ruche.test");
  REQUIRE(parts.count("probe") == 1);
  CHECK(parts["probe"] == R"({"items":["mine"],"profile":{"nickname":"Clé"}})");

  // Deleting the account erases the plugin's data in the same transaction.
  auto deleted = http.postFormWithCsrf("/me/delete", "/me/delete", {{"confirm", "cleo@ruche.test"}});
  CHECK(deleted.status == 303);
  CHECK(countRows(server, "SELECT COUNT(*) FROM probe_items") == 0);
  CHECK(countRows(server, "SELECT COUNT(*) FROM plugin_profile_values") == 0);
}

TEST_CASE("a plugin's own migrations run once and are recorded under its module") {
  TempDir plugins;
  addPlugin(plugins.path(), "probe");
  TestServer server(Backend::Sqlite, withPlugins(plugins.path()));
  CHECK(countRows(server, "SELECT COUNT(*) FROM schema_migrations WHERE module = 'plugin:probe'") == 1);
  auto dropped = server.app().plugins().store().purge("probe");
  CHECK(dropped.size() == 2);
  CHECK(countRows(server, "SELECT COUNT(*) FROM schema_migrations WHERE module = 'plugin:probe'") == 0);
}

TEST_CASE("a plugin's menu entry and dashboard widget show only where it is on") {
  TempDir plugins;
  addPlugin(plugins.path(), "probe");
  TestServer server(Backend::Sqlite, withPlugins(plugins.path()));
  long long association = server.createAssociation("ruche-menu", "Menu");
  long long coordinator = server.createAccount("dora@ruche.test", "correct horse battery", "Dora");
  server.grantRole(coordinator, association, "coordinator");
  auto http = server.signedIn("dora@ruche.test", "correct horse battery");
  const std::string link = "<a href=\"/a/ruche-menu/probe\">Sonde</a>";

  CHECK(http.get("/a/ruche-menu").body.find(link) == std::string::npos);
  CHECK(http.get("/a/ruche-menu/manage").body.find("widget-probe") == std::string::npos);
  server.app().plugins().store().setEnabled("probe", association, true);
  CHECK(http.get("/a/ruche-menu").body.find(link) != std::string::npos);
  auto dashboard = http.get("/a/ruche-menu/manage");
  CHECK(dashboard.body.find("<h2 id=\"widget-probe\">Sonde</h2>") != std::string::npos);
  CHECK(dashboard.body.find("<p>Éléments : 0</p>") != std::string::npos);
  CHECK(dashboard.body.find("<a href=\"/a/ruche-menu/probe/staff\">Coulisses de la sonde</a>") != std::string::npos);
  // The federation's menu, on the home page: anyone may follow it.
  CHECK(server.client().get("/").body.find("<a href=\"/p/probe\">Sonde</a>") != std::string::npos);
  // A volunteer of the association sees the public link, not the coordinators' one.
  long long volunteer = server.createAccount("gus@ruche.test", "correct horse battery", "Gus");
  server.grantRole(volunteer, association, "volunteer");
  auto gus = server.signedIn("gus@ruche.test", "correct horse battery");
  CHECK(gus.get("/a/ruche-menu").body.find(link) != std::string::npos);
  CHECK(gus.get("/a/ruche-menu/manage").status == 403);
}

TEST_CASE("a plugin subscriber that keeps failing is retried then dead-lettered and a replay delivers again") {
  TempDir plugins;
  addPlugin(plugins.path(), "probe");
  TestServer server(Backend::Sqlite, withPlugins(plugins.path(), {{"events.max_attempts", "2"},
                                                                  {"events.first_retry_ms", "50"},
                                                                  {"plugins.failure_limit", "100"}}));
  long long association = server.createAssociation("ruche-dead", "Dead");
  auto& host = server.app().plugins();
  host.store().setEnabled("probe", association, true);
  server.createAccount("eve@ruche.test", "correct horse battery", "Eve");
  auto http = server.signedIn("eve@ruche.test", "correct horse battery");
  REQUIRE(http.postFormWithCsrf("/a/ruche-dead/probe/items", "/a/ruche-dead/probe", {{"label", "poison"}}).status ==
          303);
  auto& bus = server.services().events;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (bus.deadLetters().empty() && std::chrono::steady_clock::now() < until) {
    bus.dispatchOnce();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  auto dead = bus.deadLetters();
  REQUIRE(dead.size() == 1);
  CHECK(dead.front().subscriber == "plugin.probe.watch");
  CHECK(dead.front().attempts == 2);
  CHECK(dead.front().lastError.find("poison pill") != std::string::npos);
  auto failures = host.store().lastFailures("probe");
  REQUIRE(failures.size() == 2);
  CHECK(failures.front().kind == "event");
  // A replay reaches the subscriber again (which fails again: the same pill).
  CHECK(bus.replay(dead.front().deliveryId));
  until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (host.store().lastFailures("probe").size() < 3 && std::chrono::steady_clock::now() < until) {
    bus.dispatchOnce();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  CHECK(host.store().lastFailures("probe").size() >= 3);
}

TEST_CASE("a plugin's profile field is on the profile form and saved with the kernel's fields or not at all") {
  TempDir plugins;
  addPlugin(plugins.path(), "probe");
  TestServer server(Backend::Sqlite, withPlugins(plugins.path()));
  long long account = server.createAccount("fay@ruche.test", "correct horse battery", "Fay");
  auto http = server.signedIn("fay@ruche.test", "correct horse battery");
  auto& store = server.app().plugins().store();

  auto form = http.get("/me/profile");
  REQUIRE(form.status == 200);
  CHECK(form.body.find("<label for=\"plugin_probe_nickname\">Libellé</label>") != std::string::npos);

  HttpClient::FormFields fields = {
      {"display_name", "Fay"}, {"timezone", "Europe/Paris"}, {"locale", "fr"}, {"plugin_probe_nickname", "Fafa"}};
  auto saved = http.postFormWithCsrf("/me/profile", "/me/profile", fields);
  CHECK(saved.status == 303);
  CHECK(store.profileValue(account, "probe", "nickname") == "Fafa");

  fields.back().second = std::string(41, 'x');  // the field holds 40 characters
  auto refused = http.postFormWithCsrf("/me/profile", "/me/profile", fields);
  CHECK(refused.status == 422);
  CHECK(refused.body.find("id=\"plugin_probe_nickname-error\"") != std::string::npos);
  CHECK(store.profileValue(account, "probe", "nickname") == "Fafa");

  // A kernel field refused: the plugin's value is not saved either.
  fields = {{"display_name", ""}, {"timezone", "Europe/Paris"}, {"locale", "fr"}, {"plugin_probe_nickname", "Fifi"}};
  CHECK(http.postFormWithCsrf("/me/profile", "/me/profile", fields).status == 422);
  CHECK(store.profileValue(account, "probe", "nickname") == "Fafa");
}
