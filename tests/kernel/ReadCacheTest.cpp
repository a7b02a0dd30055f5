// The read cache (kernel/storage/ReadCache.h): what it keeps, that a change
// made through this process shows at once, and that one made behind its back
// (another process, here plain SQL) waits for database.read_cache_ms.
#include <doctest/doctest.h>

#include <string>

#include "kernel/plugins/PluginStore.h"
#include "kernel/storage/Database.h"
#include "kernel/storage/ReadCache.h"
#include "tests/kernel/TestServer.h"

using namespace ruche;
using namespace ruche::testing;

namespace {

const char* const kPassword = "correct horse battery";

/// A server whose read cache keeps entries for a minute: longer than any
/// test, so whatever is served from it is seen to be.
struct CachingServer {
  explicit CachingServer(Backend backend) : server(backend, options()) {}
  ~CachingServer() {
    storage::readCacheMilliseconds().store(0);  // the next tests of this process read afresh
  }
  static TestServer::Options options() {
    TestServer::Options options;
    options.settings["database.read_cache_ms"] = "60000";
    return options;
  }
  void exec(const std::string& sql) { server.execute(sql); }
  TestServer server;
};

std::string langOf(const std::string& body) {
  auto pos = body.find("<html lang=\"");
  return pos == std::string::npos ? "" : body.substr(pos + 12, 2);
}

}  // namespace

TEST_CASE("an association's language is kept by the read cache, and an admin's change shows at once") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      CachingServer world(backend);
      TestServer& server = world.server;
      long long jardins = server.createAssociation("jardins", "Les Jardins");
      long long admin = server.createAccount("admin@example.org", kPassword, "Admin");
      server.grantRole(admin, jardins, "admin");
      auto visitor = server.client();
      CHECK(langOf(visitor.get("/a/jardins").body) == "fr");

      // Behind the server's back, as another process would: the kept row is served.
      world.exec("UPDATE associations SET default_locale = 'en' WHERE id = " + std::to_string(jardins));
      CHECK(langOf(visitor.get("/a/jardins").body) == "fr");

      // Through the server: at once.
      auto http = server.signedIn("admin@example.org", kPassword);
      auto saved = http.postFormWithCsrf("/a/jardins/manage/language", "/a/jardins/manage/language",
                                         {{"default_locale", "en"}, {"timezone", "Europe/Paris"}});
      REQUIRE(saved.status == 303);
      CHECK(langOf(visitor.get("/a/jardins").body) == "en");
      CHECK(visitor.get("/a/nowhere").status == 404);
    }
  }
}

TEST_CASE("a plugin's enablement and settings are kept by the read cache, a no never is, and its own changes show") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      CachingServer world(backend);
      long long jardins = world.server.createAssociation("jardins", "Les Jardins");
      std::string id = std::to_string(jardins);
      plugins::PluginStore store(world.server.services().db);
      store.noteSeen("cache_probe", "1.0.0");
      CHECK_FALSE(store.answersIn("cache_probe", jardins));

      // A "no" is not kept: switched on by another process (the CLI), it answers at once.
      world.exec(
          "INSERT INTO plugin_associations (plugin, association_id, enabled, changed_at) VALUES "
          "('cache_probe', " +
          id + ", 1, 0)");
      CHECK(store.answersIn("cache_probe", jardins));

      // A "yes" is kept: switched off behind the server's back, it still answers…
      world.exec("UPDATE plugin_associations SET enabled = 0 WHERE plugin = 'cache_probe'");
      CHECK(store.answersIn("cache_probe", jardins));
      // …until this process changes something a cache holds.
      store.setEnabled("cache_probe", jardins, false);
      CHECK_FALSE(store.answersIn("cache_probe", jardins));

      store.saveSettings("cache_probe", jardins, {{"greeting", "Bonjour"}});
      CHECK(store.settings("cache_probe", jardins).at("greeting") == "Bonjour");
      world.exec("UPDATE plugin_settings SET setting_value = 'Hello' WHERE plugin = 'cache_probe'");
      CHECK(store.settings("cache_probe", jardins).at("greeting") == "Bonjour");
      store.saveSettings("cache_probe", jardins, {{"greeting", "Salut"}});
      CHECK(store.settings("cache_probe", jardins).at("greeting") == "Salut");
    }
  }
}

TEST_CASE("with database.read_cache_ms at 0 nothing is kept") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);  // the tests' default: 0
      long long jardins = server.createAssociation("jardins", "Les Jardins");
      auto visitor = server.client();
      CHECK(langOf(visitor.get("/a/jardins").body) == "fr");
      server.execute("UPDATE associations SET default_locale = 'en' WHERE id = " + std::to_string(jardins));
      CHECK(langOf(visitor.get("/a/jardins").body) == "en");
    }
  }
}
