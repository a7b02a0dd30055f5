#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "kernel/config/ConfigError.h"
#include "kernel/config/SettingsLoader.h"
#include "tests/kernel/TestServer.h"

using ruche::config::ConfigError;
using ruche::config::loadSettings;

namespace {

std::string writeConfig(const ruche::testing::TempDir& dir, const std::string& text) {
  std::string path = (dir.path() / "ruche.conf").string();
  std::ofstream(path) << text;
  return path;
}

std::string errorOf(const std::optional<std::string>& file, const std::map<std::string, std::string>& env,
                    const std::map<std::string, std::string>& overrides) {
  try {
    loadSettings(file, env, overrides);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("defaults put the SQLite database in the data folder") {
  auto settings = loadSettings(std::nullopt, {}, {{"data.dir", "/srv/ruche"}});
  CHECK(settings.databaseUrl == "sqlite:/srv/ruche/ruche.db");
  CHECK(settings.http.listenPort == 8080);
  CHECK(settings.baseUrl == "http://127.0.0.1:8080");
}

TEST_CASE("the config file, then RUCHE_* variables, then the command line decide") {
  ruche::testing::TempDir dir;
  std::string file = writeConfig(dir,
                                 "# comment\n"
                                 "data.dir = /var/lib/ruche\n"
                                 "http.listen = 0.0.0.0:9000\n"
                                 "database.url = sqlite:/tmp/a.db\n"
                                 "smtp.host = mail.example.org\n"
                                 "smtp.port = 587\n"
                                 "base_url = https://benevoles.example.org/\n");
  auto settings =
      loadSettings(file, {{"RUCHE_DATABASE_URL", "postgresql://u:p@db/ruche"}}, {{"http.listen", "127.0.0.1:9100"}});
  CHECK(settings.dataDir == "/var/lib/ruche");
  CHECK(settings.databaseUrl == "postgresql://u:p@db/ruche");
  CHECK(settings.http.listenHost == "127.0.0.1");
  CHECK(settings.http.listenPort == 9100);
  CHECK(settings.smtp.port == 587);
  CHECK(settings.baseUrl == "https://benevoles.example.org");
  CHECK(settings.secureCookies());
}

TEST_CASE("a bad or unknown key stops start-up with one line naming it") {
  ruche::testing::TempDir dir;
  SUBCASE("unknown key in the file") {
    std::string message = errorOf(writeConfig(dir, "databse.url = sqlite:x\n"), {}, {});
    CHECK(message.find("databse.url") != std::string::npos);
    CHECK(message.find("unknown key") != std::string::npos);
  }
  SUBCASE("port out of range") {
    std::string message = errorOf(std::nullopt, {}, {{"http.listen", "127.0.0.1:70000"}});
    CHECK(message.find("http.listen") != std::string::npos);
  }
  SUBCASE("database URL of an unknown kind from the environment") {
    std::string message = errorOf(std::nullopt, {{"RUCHE_DATABASE_URL", "mysql://x"}}, {});
    CHECK(message.find("database.url") != std::string::npos);
    CHECK(message.find("RUCHE_DATABASE_URL") == std::string::npos);  // names the key, not the variable
  }
  SUBCASE("a line without =") {
    std::string message = errorOf(writeConfig(dir, "just words\n"), {}, {});
    CHECK(message.find("ruche.conf:1") != std::string::npos);
  }
  SUBCASE("missing file") {
    std::string message = errorOf((dir.path() / "nope.conf").string(), {}, {});
    CHECK(message.find("cannot read") != std::string::npos);
  }
  SUBCASE("message is one line") {
    std::string message = errorOf(std::nullopt, {}, {{"log.level", "loud"}});
    REQUIRE(!message.empty());
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("trusted proxies are IP addresses or none") {
  auto settings = loadSettings(std::nullopt, {}, {{"http.trusted_proxies", "10.0.0.2, ::1"}});
  CHECK(settings.http.trustedProxies == std::vector<std::string>{"10.0.0.2", "::1"});
  CHECK(loadSettings(std::nullopt, {}, {{"http.trusted_proxies", "none"}}).http.trustedProxies.empty());
  CHECK(errorOf(std::nullopt, {}, {{"http.trusted_proxies", "proxy.local"}}).find("http.trusted_proxies") !=
        std::string::npos);
}

TEST_CASE("the event bus, webhook and retention keys have defaults and are checked") {
  auto defaults = loadSettings(std::nullopt, {}, {});
  CHECK_FALSE(defaults.webhooks.allowPrivate);
  CHECK(defaults.events.maxAttempts == 6);
  CHECK(defaults.events.pollIntervalMs == 200);
  CHECK(defaults.events.retentionDays == 30);
  CHECK(defaults.mail.retentionDays == 30);
  auto settings = loadSettings(std::nullopt, {{"RUCHE_WEBHOOKS_ALLOW_PRIVATE", "true"}},
                               {{"events.max_attempts", "3"},
                                {"events.first_retry_ms", "250"},
                                {"events.poll_interval_ms", "50"},
                                {"events.batch_size", "10"},
                                {"events.dispatcher_threads", "2"},
                                {"events.retention_days", "7"},
                                {"mail.retention_days", "90"}});
  CHECK(settings.webhooks.allowPrivate);
  CHECK(settings.events.maxAttempts == 3);
  CHECK(settings.events.firstRetryMs == 250);
  CHECK(settings.events.pollIntervalMs == 50);
  CHECK(settings.events.batchSize == 10);
  CHECK(settings.events.dispatcherThreads == 2);
  CHECK(settings.events.retentionDays == 7);
  CHECK(settings.mail.retentionDays == 90);
  CHECK(errorOf(std::nullopt, {}, {{"webhooks.allow_private", "maybe"}}).find("webhooks.allow_private") !=
        std::string::npos);
  CHECK(errorOf(std::nullopt, {}, {{"events.batch_size", "0"}}).find("events.batch_size") != std::string::npos);
  CHECK(errorOf(std::nullopt, {}, {{"events.retention_days", "0"}}).find("events.retention_days") != std::string::npos);
}

TEST_CASE("every configuration key is documented in the admin guide") {
  std::filesystem::path guide = std::filesystem::path(RUCHE_TEST_THEMES).parent_path() / "docs" / "admin-guide.md";
  std::ifstream in(guide);
  REQUIRE(in);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& key : ruche::config::knownKeys()) {
    CAPTURE(key.key);
    CHECK(text.find("`" + key.key + "`") != std::string::npos);
  }
}
