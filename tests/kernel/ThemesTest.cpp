#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "kernel/themes/Branding.h"
#include "kernel/themes/Contrast.h"
#include "kernel/themes/Templates.h"
#include "kernel/themes/ThemeManifest.h"
#include "kernel/themes/ThemeSet.h"
#include "tests/kernel/TestServer.h"

// Unit tests of the theme engine: theme.json checks, the lookup order, asset
// hashing, development reload and the WCAG contrast computation.
using namespace ruche::themes;
using ruche::testing::TempDir;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

void theme(const fs::path& root, const std::string& name, const std::string& parent) {
  write(root / name / "theme.json", "{\"name\": \"" + name + "\", \"version\": \"1.0.0\", \"parent\": " +
                                        (parent.empty() ? std::string("null") : "\"" + parent + "\"") + "}");
}

std::string errorOf(const std::function<void()>& work) {
  try {
    work();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// default ← base ← child, each saying which file it served.
void lookupFixture(const fs::path& root) {
  theme(root, "default", "");
  theme(root, "base", "default");
  theme(root, "child", "base");
  write(root / "default/templates/page.mustache", "kernel page");
  write(root / "default/templates/shared.mustache", "kernel shared");
  write(root / "default/templates/frame.mustache", "[{{> box}}]");
  write(root / "default/templates/partials/box.mustache", "kernel box");
  write(root / "base/templates/page.mustache", "base page");
  write(root / "base/templates/partials/box.mustache", "base box");
  write(root / "child/templates/page.mustache", "child page");
  write(root / "child/templates/falc/page.mustache", "child easy page");
  write(root / "child/templates/plugins/pets/only_child.mustache", "child override");
  write(root / "base/templates/plugins/pets/only_child.mustache", "base override");
  write(root / "base/templates/plugins/pets/in_base.mustache", "base override");
}

}  // namespace

TEST_CASE("theme.json is refused with a message naming the file and the problem") {
  const std::string file = "themes/x/theme.json";
  CHECK(contains(errorOf([&] { parseThemeManifest(R"({"name":"x","version":"1.0.0","colour":"red"})", file, "x"); }),
                 "unknown key \"colour\""));
  CHECK(contains(errorOf([&] { parseThemeManifest(R"({"name":"x"})", file, "x"); }), "\"version\" is missing"));
  CHECK(
      contains(errorOf([&] { parseThemeManifest(R"({"name":"x","version":"one"})", file, "x"); }), "semantic version"));
  CHECK(contains(errorOf([&] { parseThemeManifest(R"({"name":"y","version":"1.0.0"})", file, "x"); }),
                 "the folder is \"x\""));
  CHECK(contains(errorOf([&] { parseThemeManifest(R"({"name":"x","version":"1.0.0","parent":"x"})", file, "x"); }),
                 "its own parent"));
  CHECK(contains(errorOf([&] { parseThemeManifest("{not json", file, "x"); }), file));
  auto good = parseThemeManifest(R"({"name":"x","version":"2.1.0","parent":"default","title":"X"})", file, "x");
  CHECK(good.parent == std::optional<std::string>("default"));
  CHECK(good.title == "X");
}

TEST_CASE("a missing parent theme or a cycle of parents refuses the themes folder") {
  TempDir dir;
  theme(dir.path(), "default", "");
  write(dir.path() / "default/templates/page.mustache", "x");
  SUBCASE("missing parent") {
    theme(dir.path(), "orphan", "nowhere");
    std::string error = errorOf([&] { ThemeSet::load(dir.path().string()); });
    CHECK(contains(error, "orphan/theme.json"));
    CHECK(contains(error, "parent theme \"nowhere\" is not installed"));
  }
  SUBCASE("cycle") {
    theme(dir.path(), "a", "b");
    theme(dir.path(), "b", "a");
    CHECK(contains(errorOf([&] { ThemeSet::load(dir.path().string()); }), "the parents form a cycle"));
  }
  SUBCASE("no kernel theme") {
    fs::remove_all(dir.path() / "default");
    theme(dir.path(), "lonely", "");
    CHECK(contains(errorOf([&] { ThemeSet::load(dir.path().string()); }), "\"default\""));
  }
  SUBCASE("a template that does not parse names its file") {
    write(dir.path() / "default/templates/broken.mustache", "{{#open}} never closed");
    CHECK(contains(errorOf([&] { ThemeSet::load(dir.path().string()); }), "default/templates/broken.mustache"));
  }
}

TEST_CASE("a template is looked up in the theme, then its parents, then the kernel's theme") {
  TempDir dir;
  lookupFixture(dir.path());
  auto set = ThemeSet::load(dir.path().string());
  CHECK(set->chain("child") == std::vector<std::string>{"child", "base", "default"});
  CHECK(*set->page("child", "page", false) == "child page");
  CHECK(*set->page("base", "page", false) == "base page");
  CHECK(*set->page("child", "shared", false) == "kernel shared");
  CHECK(set->page("child", "absent", false) == nullptr);
  SUBCASE("a partial overridden by a parent changes the kernel's page that uses it") {
    CHECK(*set->page("child", "frame", false) == "[base box]");
    CHECK(*set->page("default", "frame", false) == "[kernel box]");
  }
  SUBCASE("easy-to-read versions win only when asked for") {
    CHECK(*set->page("child", "page", true) == "child easy page");
    CHECK(*set->page("child", "shared", true) == "kernel shared");
  }
  SUBCASE("an unknown theme gets the kernel's") {
    CHECK(*set->page("nosuch", "page", false) == "kernel page");
  }
}

TEST_CASE("a plugin template is looked up in the theme, its parents, the plugin's default, then the kernel's") {
  TempDir dir;
  lookupFixture(dir.path());
  auto set = ThemeSet::load(dir.path().string());
  const std::string own = "plugin default";
  CHECK(*set->pluginPage("child", "pets", "only_child", &own) == "child override");
  CHECK(*set->pluginPage("base", "pets", "only_child", &own) == "base override");
  CHECK(*set->pluginPage("child", "pets", "in_base", &own) == "base override");
  CHECK(*set->pluginPage("child", "pets", "anything", &own) == "plugin default");
  CHECK(*set->pluginPage("child", "pets", "shared", nullptr) == "kernel shared");
  CHECK_FALSE(set->pluginPage("child", "pets", "absent", nullptr).has_value());
  // Another plugin's overrides are not this one's.
  CHECK(*set->pluginPage("child", "birds", "only_child", &own) == "plugin default");
}

TEST_CASE("assets carry a content hash in their URL and a parent's asset serves its children") {
  TempDir dir;
  lookupFixture(dir.path());
  write(dir.path() / "default/assets/site.css", "body{color:#000}");
  write(dir.path() / "child/assets/extra.css", "a{color:#00f}");
  auto set = ThemeSet::load(dir.path().string());
  std::string hash = contentHash("body{color:#000}");
  CHECK(hash.size() == 12);
  CHECK(set->assetUrl("child", "site.css") == "/assets/child/site." + hash + ".css");
  CHECK(set->assetUrl("default", "extra.css").empty());
  const ThemeAsset* found = set->hashedAsset("child", "site." + hash + ".css");
  REQUIRE(found != nullptr);
  CHECK(found->content == "body{color:#000}");
  CHECK(found->contentType == "text/css; charset=utf-8");
  CHECK(set->hashedAsset("child", "site.000000000000.css") == nullptr);
  CHECK(contentHash("body{color:#111}") != hash);
}

TEST_CASE("templates render through the look and the asset helper gives the hashed URL") {
  TempDir dir;
  lookupFixture(dir.path());
  write(dir.path() / "default/assets/site.css", "body{}");
  write(dir.path() / "default/templates/head.mustache", "<link href=\"{{#asset}}site.css{{/asset}}\">{{x}}");
  Templates templates(dir.path().string());
  Data data{Data::type::object};
  data.set("x", "<b>");
  std::string html = templates.render(Look{"child", false}, "head", data, "fr");
  CHECK(html == "<link href=\"/assets/child/site." + contentHash("body{}") + ".css\">&lt;b&gt;");
  CHECK(templates.render(Look{"child", true}, "page", Data{Data::type::object}, "fr") == "child easy page");
  CHECK(templates.render("page", Data{Data::type::object}, "fr") == "kernel page");
}

TEST_CASE("in development mode a changed template is reloaded, otherwise it is parsed once") {
  TempDir dir;
  lookupFixture(dir.path());
  Templates stable(dir.path().string(), "default", false);
  Templates dev(dir.path().string(), "default", true);
  CHECK(stable.render("page", Data{Data::type::object}, "fr") == "kernel page");
  CHECK(dev.render("page", Data{Data::type::object}, "fr") == "kernel page");
  fs::path file = dir.path() / "default/templates/page.mustache";
  write(file, "kernel page, edited");
  fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(2));
  CHECK(dev.render("page", Data{Data::type::object}, "fr") == "kernel page, edited");
  CHECK(stable.render("page", Data{Data::type::object}, "fr") == "kernel page");
  SUBCASE("a broken edit keeps the previous version") {
    write(file, "{{#broken}}");
    fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(4));
    CHECK(dev.render("page", Data{Data::type::object}, "fr") == "kernel page, edited");
  }
}

TEST_CASE("contrast ratios follow WCAG 2.1") {
  auto ratio = [](const std::string& a, const std::string& b) {
    return contrastRatio(*parseHexColour(a), *parseHexColour(b));
  };
  CHECK(ratio("#000000", "#ffffff") == doctest::Approx(21.0));
  CHECK(ratio("#fff", "#000") == doctest::Approx(21.0));
  CHECK(ratio("#777777", "#ffffff") == doctest::Approx(4.48).epsilon(0.002));
  CHECK(ratio("#767676", "#ffffff") == doctest::Approx(4.54).epsilon(0.002));
  CHECK(ratio("#123456", "#123456") == doctest::Approx(1.0));
  CHECK(formatRatio(ratio("#777777", "#ffffff")) == "4.47");
  CHECK(formatRatio(21.0) == "21.00");
  CHECK_FALSE(parseHexColour("777777"));
  CHECK_FALSE(parseHexColour("#77777g"));
  CHECK(toHex(*parseHexColour("#AbC")) == "#aabbcc");
}

TEST_CASE("branding colours under 4.5:1 are refused with the ratio, logos by their first bytes") {
  std::vector<std::string> themes = {"default", "contrast"};
  auto dark = checkBranding("contrast", "#1F5F8B", "#5c3200", nullptr, false, themes);
  CHECK(dark.errors.empty());
  CHECK(dark.change.primary == "#1f5f8b");
  auto pale = checkBranding("default", "#777777", "#ffcc00", nullptr, false, themes);
  REQUIRE(pale.errors.size() == 2);
  CHECK(pale.errors[0].field == "primary_color");
  CHECK(pale.errors[0].code == "contrast");
  CHECK(contains(pale.errors[0].message, "4.47:1"));
  CHECK(pale.primaryRatio == "4.47");
  CHECK(pale.errors[1].field == "accent_color");
  auto unknown = checkBranding("neon", "", "", nullptr, false, themes);
  REQUIRE(unknown.errors.size() == 1);
  CHECK(unknown.errors[0].field == "theme");
  std::string png("\x89PNG\r\n\x1a\n rest", 13);
  CHECK(sniffImageType(png) == std::optional<std::string>("image/png"));
  CHECK(sniffImageType("\xff\xd8\xff\xe0 jpeg") == std::optional<std::string>("image/jpeg"));
  CHECK(sniffImageType(std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16)) == std::optional<std::string>("image/webp"));
  CHECK_FALSE(sniffImageType("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
  std::string gif = "GIF89a....";
  CHECK(checkBranding("default", "", "", &gif, false, themes).errors.at(0).code == "logo_type");
  std::string huge = png + std::string(kMaxLogoBytes, 'x');
  CHECK(checkBranding("default", "", "", &huge, false, themes).errors.at(0).code == "logo_size");
  auto logo = checkBranding("default", "", "", &png, false, themes);
  REQUIRE(logo.change.newLogo);
  CHECK(logo.change.newLogo->type == "image/png");
}

TEST_CASE("the installed themes load: default and contrast, contrast inheriting default") {
  auto set = ThemeSet::load(RUCHE_TEST_THEMES);
  REQUIRE(set->has("contrast"));
  CHECK(set->chain("contrast") == std::vector<std::string>{"contrast", "default"});
  CHECK(contains(*set->page("contrast", "layout", false), "contrast.css"));
  CHECK_FALSE(contains(*set->page("default", "layout", false), "contrast.css"));
  for (const std::string name : {"signup", "missions_show", "apply"}) {
    CHECK(set->page("default", name, true) != set->page("default", name, false));
  }
  Templates templates(RUCHE_TEST_THEMES);
  for (const std::string& locale : Catalog::supportedLocales()) {
    for (const std::string& other : Catalog::supportedLocales()) {
      CHECK(templates.catalog().missingKeys(locale, other).empty());
    }
  }
}
