#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "kernel/plugins/PluginInstaller.h"
#include "kernel/plugins/PluginStore.h"
#include "tests/kernel/TestServer.h"

// The plugin pages of the admin panel, without a plugin host: plugin folders
// are written into the test server's plugins dir (DATA/plugins) and their
// state rows into the database, as `ruche plugin install` would.
using namespace ruche::testing;
namespace fs = std::filesystem;

namespace {

const std::string kPassword = "correct horse battery";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// A plugin folder with only a manifest (no library): enough for the pages,
/// which read manifests and never load anything.
const char* const kSettingsProbe = R"JSON({
  "name": "settings_probe",
  "version": "1.2.0",
  "sdk": ">=1.0 <2",
  "title": {"fr": "Sonde des réglages", "en": "Settings probe"},
  "description": {"fr": "Pour tester le formulaire.", "en": "To test the form."},
  "settings": [
    {"key": "headline", "type": "text", "label": {"fr": "Titre", "en": "Headline"}, "default": "Bienvenue",
     "help": {"fr": "Affiché en haut.", "en": "Shown at the top."}},
    {"key": "max_items", "type": "integer", "label": {"fr": "Nombre maximum", "en": "Maximum number"},
     "min": 1, "max": 50, "default": "10", "required": true},
    {"key": "public", "type": "boolean", "label": {"fr": "Public", "en": "Public"}, "default": "false"},
    {"key": "tone", "type": "choice", "label": {"fr": "Ton", "en": "Tone"}, "choices": ["calm", "lively"]},
    {"key": "api_key", "type": "secret", "label": {"fr": "Clé d'API", "en": "API key"}},
    {"key": "site", "type": "url", "label": {"fr": "Site", "en": "Site"}},
    {"key": "contact", "type": "email", "label": {"fr": "Contact", "en": "Contact"}},
    {"key": "notes", "type": "textarea", "label": {"fr": "Notes", "en": "Notes"}}
  ]
})JSON";

fs::path pluginsDir(TestServer& server) {
  return server.dataDir() / "plugins";
}

void writeSettingsProbe(TestServer& server) {
  fs::create_directories(pluginsDir(server) / "settings_probe");
  std::ofstream(pluginsDir(server) / "settings_probe" / "plugin.json") << kSettingsProbe;
  ruche::plugins::PluginStore(server.services().db).noteSeen("settings_probe", "1.2.0");
}

/// Installs the built probe plugin (tests/plugins/cli_probe) as the CLI would.
void installProbe(TestServer& server) {
  ruche::plugins::installPlugin(server.services().settings, server.services().db, RUCHE_TEST_PROBE_PLUGIN, false);
}

bool tableExists(TestServer& server, const std::string& table) {
  ruche::storage::Database::Session session(server.services().db);
  try {
    long long n = 0;
    *session << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

long long migrationRecords(TestServer& server, const std::string& module) {
  ruche::storage::Database::Session session(server.services().db);
  long long n = 0;
  *session << "SELECT COUNT(*) FROM schema_migrations WHERE module = :m", soci::use(module), soci::into(n);
  return n;
}

}  // namespace

TEST_CASE("a federation admin sees every plugin with its state, check result and last failures") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
      long long volunteerId = server.createAccount("vol@example.org", kPassword, "Vol");
      long long associationId = server.createAssociation("jardins", "Les Jardins");
      server.grantRole(volunteerId, associationId, "volunteer");
      installProbe(server);
      writeSettingsProbe(server);
      ruche::plugins::PluginStore store(server.services().db);
      store.setEnabled("cli_probe", associationId, true);
      store.recordFailure("cli_probe", "request", "boom in /a/jardins/cli_probe/", 600);
      store.noteSeen("gone", "0.9.0");  // recorded, but no folder any more

      auto admin = server.signedIn("admin@example.org", kPassword);
      CHECK(contains(admin.get("/admin").body, "href=\"/admin/plugins\""));
      auto page = admin.get("/admin/plugins");
      REQUIRE(page.status == 200);
      CHECK(contains(page.body, "<code>cli_probe</code><br>Sonde de test"));
      CHECK(contains(page.body, "settings_probe.so: missing"));
      CHECK(contains(page.body, "boom in /a/jardins/cli_probe/"));
      CHECK(contains(page.body, "<code>gone</code>"));
      CHECK(contains(page.body, "dossier supprimé"));
      CHECK(contains(page.body, "action=\"/admin/plugins/cli_probe/disable\""));
      CHECK(contains(page.body, "href=\"/admin/plugins/cli_probe/purge\""));
      CHECK(contains(page.body, "systemctl reload ruche"));
      CHECK(contains(page.body, "<td>ok</td>"));

      auto english = admin.get("/admin/plugins?lang=en");
      CHECK(contains(english.body, "<code>cli_probe</code><br>Test probe"));
      CHECK(contains(english.body, "folder removed"));

      auto volunteer = server.signedIn("vol@example.org", kPassword);
      CHECK(volunteer.get("/admin/plugins").status == 403);
      CHECK(server.client().get("/admin/plugins").status == 401);
    }
  }
}

TEST_CASE("a federation admin switches a plugin off and on, removes it keeping data, then purges it") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
      long long associationId = server.createAssociation("jardins", "Les Jardins");
      installProbe(server);
      ruche::plugins::PluginStore store(server.services().db);
      store.setEnabled("cli_probe", associationId, true);
      REQUIRE(tableExists(server, "cli_probe_notes"));
      REQUIRE(migrationRecords(server, "plugin:cli_probe") == 1);
      auto admin = server.signedIn("admin@example.org", kPassword);

      auto off = admin.postFormWithCsrf("/admin/plugins/cli_probe/disable", "/admin/plugins", {});
      REQUIRE(off.status == 303);
      CHECK(store.state("cli_probe")->state == "disabled");
      CHECK(contains(admin.followRedirect(off).body, "role=\"status\""));
      CHECK(admin.postFormWithCsrf("/admin/plugins/cli_probe/enable", "/admin/plugins", {}).status == 303);
      CHECK(store.state("cli_probe")->state == "active");
      CHECK(admin.postFormWithCsrf("/admin/plugins/ghost/enable", "/admin/plugins", {}).status == 404);

      CHECK(admin.postFormWithCsrf("/admin/plugins/cli_probe/remove", "/admin/plugins", {}).status == 303);
      CHECK_FALSE(fs::exists(pluginsDir(server) / "cli_probe"));
      CHECK(store.state("cli_probe")->state == "removed");
      CHECK(tableExists(server, "cli_probe_notes"));
      CHECK(store.enabledIn("cli_probe", associationId));

      auto confirm = admin.get("/admin/plugins/cli_probe/purge");
      REQUIRE(confirm.status == 200);
      CHECK(contains(confirm.body, "action=\"/admin/plugins/cli_probe/purge\""));
      CHECK(store.state("cli_probe").has_value());  // the confirmation page changes nothing
      auto purged = admin.postFormWithCsrf("/admin/plugins/cli_probe/purge", "/admin/plugins/cli_probe/purge", {});
      REQUIRE(purged.status == 303);
      CHECK_FALSE(store.state("cli_probe").has_value());
      CHECK_FALSE(tableExists(server, "cli_probe_notes"));
      CHECK_FALSE(store.enabledIn("cli_probe", associationId));
      CHECK(migrationRecords(server, "plugin:cli_probe") == 0);
      CHECK(admin.get("/admin/plugins/cli_probe/purge").status == 404);
    }
  }
}

TEST_CASE("an association admin switches an active plugin on and off, and the store follows") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long adminId = server.createAccount("asso@example.org", kPassword, "Awa Admin");
      long long associationId = server.createAssociation("jardins", "Les Jardins");
      server.grantRole(adminId, associationId, "admin");
      writeSettingsProbe(server);
      ruche::plugins::PluginStore store(server.services().db);
      auto admin = server.signedIn("asso@example.org", kPassword);

      auto page = admin.get("/a/jardins/manage/plugins");
      REQUIRE(page.status == 200);
      CHECK(contains(page.body, "Sonde des réglages"));
      CHECK(contains(page.body, "href=\"/a/jardins/manage/plugins/settings_probe/settings\""));
      CHECK(contains(admin.get("/a/jardins/manage/settings").body, "href=\"/a/jardins/manage/plugins\""));

      auto on =
          admin.postFormWithCsrf("/a/jardins/manage/plugins/settings_probe/enable", "/a/jardins/manage/plugins", {});
      REQUIRE(on.status == 303);
      CHECK(store.enabledIn("settings_probe", associationId));
      CHECK(store.answersIn("settings_probe", associationId));
      CHECK(contains(admin.followRedirect(on).body, "action=\"/a/jardins/manage/plugins/settings_probe/disable\""));
      CHECK(admin.postFormWithCsrf("/a/jardins/manage/plugins/settings_probe/disable", "/a/jardins/manage/plugins", {})
                .status == 303);
      CHECK_FALSE(store.enabledIn("settings_probe", associationId));

      // Off for the federation: not offered, and neither toggled nor configured.
      store.setState("settings_probe", "disabled", "test");
      CHECK_FALSE(contains(admin.get("/a/jardins/manage/plugins").body, "Sonde des réglages"));
      CHECK(admin.postFormWithCsrf("/a/jardins/manage/plugins/settings_probe/enable", "/a/jardins/manage/plugins", {})
                .status == 404);
      CHECK(admin.get("/a/jardins/manage/plugins/settings_probe/settings").status == 404);
      CHECK(admin.get("/a/jardins/manage/plugins/ghost/settings").status == 404);
      CHECK_FALSE(store.enabledIn("settings_probe", associationId));
    }
  }
}

TEST_CASE("a plugin's settings form checks values against its schema and never shows a secret") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long adminId = server.createAccount("asso@example.org", kPassword, "Awa Admin");
      long long associationId = server.createAssociation("jardins", "Les Jardins");
      server.grantRole(adminId, associationId, "admin");
      writeSettingsProbe(server);
      ruche::plugins::PluginStore store(server.services().db);
      auto admin = server.signedIn("asso@example.org", kPassword);
      const std::string path = "/a/jardins/manage/plugins/settings_probe/settings";

      auto form = admin.get(path);
      REQUIRE(form.status == 200);
      CHECK(contains(form.body, "type=\"number\" step=\"1\" min=\"1\" max=\"50\" value=\"10\""));
      CHECK(contains(form.body, "value=\"Bienvenue\""));
      CHECK(contains(form.body, "aria-describedby=\"setting-headline-help\""));
      CHECK(contains(form.body, "type=\"checkbox\" value=\"true\""));
      CHECK(contains(form.body, "<option value=\"lively\">lively</option>"));
      CHECK(contains(form.body, "type=\"password\""));
      CHECK(contains(form.body, "Laissez vide pour garder la valeur actuelle."));
      CHECK(contains(form.body, "type=\"url\""));
      CHECK(contains(form.body, "type=\"email\""));
      CHECK(contains(form.body, "<textarea id=\"setting-notes\""));

      auto invalid = admin.postFormWithCsrf(
          path, path,
          {{"headline", "Salut"}, {"max_items", "beaucoup"}, {"api_key", "s3cr3t-value"}, {"tone", "calm"}});
      CHECK(invalid.status == 422);
      CHECK(contains(invalid.body, "aria-invalid=\"true\""));
      CHECK(contains(invalid.body, "id=\"setting-max_items-error\">Saisissez un nombre entier."));
      CHECK(contains(invalid.body, "href=\"#setting-max_items\""));
      CHECK(contains(invalid.body, "value=\"Salut\""));     // what was typed comes back…
      CHECK_FALSE(contains(invalid.body, "s3cr3t-value"));  // …except the secret
      CHECK(store.settings("settings_probe", associationId).empty());

      auto tooMany = admin.postFormWithCsrf(path, path, {{"max_items", "51"}});
      CHECK(tooMany.status == 422);
      CHECK(contains(tooMany.body, "Saisissez un nombre inférieur ou égal à 50."));

      auto saved = admin.postFormWithCsrf(path, path,
                                          {{"headline", "Salut"},
                                           {"max_items", "12"},
                                           {"public", "true"},
                                           {"tone", "lively"},
                                           {"api_key", "s3cr3t-value"},
                                           {"site", "https://jardins.example.org"},
                                           {"contact", "contact@jardins.example.org"},
                                           {"notes", "Deux lignes\net demie"}});
      REQUIRE(saved.status == 303);
      auto values = store.settings("settings_probe", associationId);
      CHECK(values["max_items"] == "12");
      CHECK(values["public"] == "true");
      CHECK(values["tone"] == "lively");
      CHECK(values["api_key"] == "s3cr3t-value");
      auto shown = admin.followRedirect(saved);
      CHECK(shown.status == 200);
      CHECK(contains(shown.body, "role=\"status\""));
      CHECK(contains(shown.body, "value=\"12\""));
      CHECK(contains(shown.body, "Une valeur est enregistrée."));
      CHECK_FALSE(contains(shown.body, "s3cr3t-value"));

      // Saving again with the secret left empty keeps it; an unticked box is false.
      CHECK(admin.postFormWithCsrf(path, path, {{"max_items", "3"}}).status == 303);
      values = store.settings("settings_probe", associationId);
      CHECK(values["api_key"] == "s3cr3t-value");
      CHECK(values["public"] == "false");
      CHECK(values["max_items"] == "3");
    }
  }
}
