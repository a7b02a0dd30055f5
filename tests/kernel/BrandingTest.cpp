// Themes on a real server: hashed assets and their cache headers, the
// visitor's contrast and easy-to-read toggles, an association's branding
// page (colours checked for contrast, logo, theme) and its effect on the
// association's pages and on a plugin's templates.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "kernel/plugins/PluginHost.h"
#include "kernel/themes/Branding.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;
namespace fs = std::filesystem;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kBoundary = "----ruche-branding-test";
const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake but sniffed", 33);

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The first href="…" of a stylesheet link whose URL contains `part`.
std::string stylesheetUrl(const std::string& html, const std::string& part) {
  std::regex link("<link rel=\"stylesheet\" href=\"([^\"]+)\">");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), link); it != std::sregex_iterator(); ++it) {
    std::string url = (*it)[1];
    if (contains(url, part)) {
      return url;
    }
  }
  return "";
}

std::string brandingBody(const std::string& csrf, const std::vector<std::pair<std::string, std::string>>& fields,
                         const std::string& logo = "") {
  std::string body;
  auto part = [&body](const std::string& disposition, const std::string& content, const std::string& type = "") {
    body += "--" + kBoundary + "\r\nContent-Disposition: form-data; " + disposition + "\r\n";
    if (!type.empty()) {
      body += "Content-Type: " + type + "\r\n";
    }
    body += "\r\n" + content + "\r\n";
  };
  part("name=\"_csrf\"", csrf);
  for (const auto& [name, value] : fields) {
    part("name=\"" + name + "\"", value);
  }
  part("name=\"logo\"; filename=\"" + std::string(logo.empty() ? "" : "logo.png") + "\"", logo,
       "application/octet-stream");
  body += "--" + kBoundary + "--\r\n";
  return body;
}

HttpResponse postBranding(HttpClient& client, const std::string& slug,
                          const std::vector<std::pair<std::string, std::string>>& fields,
                          const std::string& logo = "") {
  auto page = client.get("/a/" + slug + "/manage/branding");
  std::string csrf = page.status == 200 ? HttpClient::csrfFrom(page.body) : std::string("none");
  return client.post("/a/" + slug + "/manage/branding", brandingBody(csrf, fields, logo),
                     "multipart/form-data; boundary=" + kBoundary);
}

}  // namespace

TEST_CASE("theme assets are served under a content hash with a year-long immutable cache") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  auto home = http.get("/");
  REQUIRE(home.status == 200);
  std::string css = stylesheetUrl(home.body, "/assets/default/ruche.");
  REQUIRE_FALSE(css.empty());
  CHECK(std::regex_match(css, std::regex("/assets/default/ruche\\.[0-9a-f]{12}\\.css")));
  auto asset = http.get(css);
  CHECK(asset.status == 200);
  CHECK(asset.header("cache-control") == "public, max-age=31536000, immutable");
  CHECK(contains(asset.header("content-type"), "text/css"));
  CHECK(contains(asset.body, "--accent-dark"));
  CHECK(http.get("/assets/default/ruche.000000000000.css").status == 404);
  CHECK(http.get("/assets/nosuch/ruche.css").status == 404);
  // The contrast theme serves its parent's file under its own name.
  std::string hash = css.substr(css.find("ruche.") + 6, 12);
  CHECK(http.get("/assets/contrast/ruche." + hash + ".css").status == 200);
}

TEST_CASE("a visitor turns high contrast and easy-to-read on and off without JavaScript") {
  TestServer server(Backend::Sqlite);
  auto http = server.client();
  auto plain = http.get("/signup");
  REQUIRE(plain.status == 200);
  CHECK(stylesheetUrl(plain.body, "contrast.").empty());
  CHECK(contains(plain.body, "href=\"/signup?contrast=on\""));
  CHECK(contains(plain.body, "href=\"/signup?falc=on\""));

  auto contrast = http.get("/signup?contrast=on");
  CHECK(http.cookie("ruche_contrast") == std::optional<std::string>("1"));
  CHECK_FALSE(stylesheetUrl(contrast.body, "/assets/contrast/contrast.").empty());
  CHECK(contains(contrast.body, "href=\"/signup?contrast=off\""));
  // Remembered on the next pages.
  CHECK_FALSE(stylesheetUrl(http.get("/missions").body, "contrast.").empty());

  auto easy = http.get("/signup?falc=on");
  CHECK(contains(easy.body, "Il y a 3 choses à écrire."));
  CHECK(contains(easy.body, "class=\"theme-contrast easy-read\""));
  CHECK(contains(easy.body, "name=\"_csrf\""));
  CHECK(contains(http.get("/signup?lang=en").body, "You write 3 things."));

  auto back = http.get("/signup?contrast=off&falc=off");
  CHECK(stylesheetUrl(back.body, "contrast.").empty());
  CHECK_FALSE(contains(back.body, "3 things"));
}

TEST_CASE("easy-to-read pages let a person sign up and apply to a mission") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long association = server.createAssociation("jardins", "Les Jardins");
      long long missionId = 0;
      long long now = ruche::storage::nowSeconds();
      server.services().db.transaction([&](soci::session& sql) {
        sql << "INSERT INTO missions (association_id, title, description, kind, mode, status, created_at, "
               "updated_at) VALUES (:a, 'Arroser les bacs', 'Arroser les bacs du jardin.', 'regular', 'remote', "
               "'published', :c, :u) RETURNING id",
            soci::use(association), soci::use(now), soci::use(now), soci::into(missionId);
      });
      std::string id = std::to_string(missionId);
      long long volunteer = server.createAccount("vol@example.org", kPassword, "Camille");
      (void)volunteer;
      auto http = server.signedIn("vol@example.org", kPassword);
      http.get("/?falc=on");
      auto mission = http.get("/missions/" + id);
      REQUIRE(mission.status == 200);
      CHECK(contains(mission.body, "Ce que vous allez faire"));
      CHECK(contains(mission.body, "Je veux faire cette mission"));
      auto apply = http.get("/missions/" + id + "/apply");
      CHECK(contains(apply.body, "Envoyer ma demande"));
      auto sent = http.postFormWithCsrf("/missions/" + id + "/apply", "/missions/" + id + "/apply",
                                        {{"motivation", "J'aime jardiner."}});
      CHECK(sent.status == 303);
      ruche::storage::Database::Session session(server.services().db);
      long long applications = 0;
      *session << "SELECT COUNT(*) FROM applications", soci::into(applications);
      CHECK(applications == 1);
    }
  }
}

TEST_CASE("an association admin sets colours, logo and theme, and weak contrast is refused with its ratio") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long admin = server.createAccount("admin@example.org", kPassword, "Alice");
      long long coordinator = server.createAccount("coord@example.org", kPassword, "Karim");
      long long association = server.createAssociation("jardins", "Les Jardins");
      server.createAssociation("voisins", "Les Voisins");
      server.grantRole(admin, association, "admin");
      server.grantRole(coordinator, association, "coordinator");
      auto alice = server.signedIn("admin@example.org", kPassword);
      auto karim = server.signedIn("coord@example.org", kPassword);

      CHECK(karim.get("/a/jardins/manage/branding").status == 403);
      CHECK(alice.get("/a/voisins/manage/branding").status == 403);
      auto form = alice.get("/a/jardins/manage/branding");
      REQUIRE(form.status == 200);
      CHECK(contains(form.body, "enctype=\"multipart/form-data\""));
      CHECK(contains(form.body, "id=\"theme-contrast\""));

      auto weak = postBranding(alice, "jardins", {{"theme", "default"}, {"primary_color", "#777777"}});
      CHECK(weak.status == 422);
      CHECK(contains(weak.body, "4,47 pour 1"));
      CHECK(contains(weak.body, "aria-invalid=\"true\""));
      CHECK(contains(weak.body, "value=\"#777777\""));
      auto notImage = postBranding(alice, "jardins", {{"theme", "default"}}, "GIF89a not accepted");
      CHECK(notImage.status == 422);
      CHECK(contains(notImage.body, "PNG, JPEG ou WebP"));
      auto byCoordinator = postBranding(karim, "jardins", {{"theme", "contrast"}});
      CHECK(byCoordinator.status == 403);

      auto saved = postBranding(
          alice, "jardins", {{"theme", "default"}, {"primary_color", "#1F5F8B"}, {"accent_color", "#5c3200"}}, kPng);
      REQUIRE(saved.status == 303);
      CHECK(contains(alice.followRedirect(saved).body, "role=\"status\""));

      auto http = server.client();
      auto page = http.get("/a/jardins");
      REQUIRE(page.status == 200);
      std::string css = stylesheetUrl(page.body, "/a/jardins/branding/style.");
      REQUIRE_FALSE(css.empty());
      auto sheet = http.get(css);
      CHECK(sheet.status == 200);
      CHECK(contains(sheet.body, "--brand-primary: #1f5f8b"));
      CHECK(sheet.header("cache-control") == "public, max-age=31536000, immutable");
      std::smatch logo;
      REQUIRE(std::regex_search(page.body, logo,
                                std::regex("<img src=\"(/a/jardins/branding/logo\\.[0-9a-f]+\\.png)\" "
                                           "alt=\"Les Jardins\"")));
      auto image = http.get(logo.str(1));
      CHECK(image.status == 200);
      CHECK(image.header("content-type") == "image/png");
      CHECK(image.body == kPng);
      // Other associations and the federation's pages keep the plain look.
      CHECK(stylesheetUrl(http.get("/a/voisins").body, "/branding/").empty());
      CHECK(stylesheetUrl(http.get("/").body, "/branding/").empty());

      auto contrast = postBranding(alice, "jardins", {{"theme", "contrast"}, {"primary_color", "#1f5f8b"}});
      REQUIRE(contrast.status == 303);
      auto dressed = http.get("/a/jardins");
      CHECK_FALSE(stylesheetUrl(dressed.body, "/assets/contrast/contrast.").empty());
      CHECK(stylesheetUrl(dressed.body, "/branding/style.").empty());  // contrast keeps its colours
      CHECK(contains(dressed.body, "/a/jardins/branding/logo."));      // the logo stays
      // The visitor's own choice wins over the association's.
      CHECK(stylesheetUrl(http.get("/a/jardins?contrast=off").body, "contrast.").empty());

      auto removed = postBranding(alice, "jardins", {{"theme", "default"}, {"remove_logo", "1"}});
      REQUIRE(removed.status == 303);
      CHECK_FALSE(contains(server.client().get("/a/jardins").body, "/branding/logo."));
      CHECK(server.client().get(logo.str(1)).status == 404);
    }
  }
}

TEST_CASE("an association's theme overrides a plugin's template, and edits show at once in development mode") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TempDir themes;
      fs::copy(RUCHE_TEST_THEMES, themes.path(), fs::copy_options::recursive);
      fs::create_directories(themes.path() / "custom/templates/plugins/probe");
      std::ofstream(themes.path() / "custom/theme.json")
          << R"({"name": "custom", "version": "0.1.0", "parent": "default"})";
      fs::path override = themes.path() / "custom/templates/plugins/probe/probe.mustache";
      std::ofstream(override) << "<h1>{{title}}</h1><p id=\"motto\">custom: {{motto}}</p>";
      TempDir plugins;
      fs::copy(fs::path(RUCHE_TEST_PLUGINS) / "probe" / "probe", plugins.path() / "probe", fs::copy_options::recursive);
      TestServer::Options options;
      options.settings["plugins.dirs"] = plugins.path().string();
      options.settings["themes.dir"] = themes.path().string();
      options.settings["themes.dev_reload"] = "true";
      TestServer server(backend, options);
      long long dressed = server.createAssociation("dressed", "Dressed");
      long long plain = server.createAssociation("plain", "Plain");
      auto& store = server.app().plugins().store();
      store.setEnabled("probe", dressed, true);
      store.setEnabled("probe", plain, true);
      ruche::themes::BrandingChange change;
      change.theme = "custom";
      server.services().db.transaction([&](soci::session& sql) {
        ruche::themes::BrandingStore(server.services().db).save(sql, dressed, change, 1);
      });

      auto http = server.client();
      CHECK(contains(http.get("/a/dressed/probe").body, "<p id=\"motto\">custom: Toujours prêts</p>"));
      CHECK(contains(http.get("/a/plain/probe").body, "<p id=\"motto\">Toujours prêts</p>"));
      // The visitor's contrast theme does not inherit from "custom": the plugin's own template.
      CHECK(contains(http.get("/a/dressed/probe?contrast=on").body, "<p id=\"motto\">Toujours prêts</p>"));
      http.get("/?contrast=off");

      std::ofstream(override, std::ios::trunc) << "<h1>{{title}}</h1><p id=\"motto\">edited: {{motto}}</p>";
      fs::last_write_time(override, fs::last_write_time(override) + std::chrono::seconds(2));
      CHECK(contains(http.get("/a/dressed/probe").body, "<p id=\"motto\">edited: Toujours prêts</p>"));
    }
  }
}
