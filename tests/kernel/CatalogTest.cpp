#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "kernel/http/TimeZones.h"
#include "kernel/themes/Catalog.h"
#include "kernel/themes/LocalFormat.h"
#include "tests/kernel/TestServer.h"

using ruche::themes::Catalog;
namespace fs = std::filesystem;

namespace {

std::string joined(const std::vector<std::string>& keys) {
  std::string text;
  for (const auto& key : keys) {
    text += (text.empty() ? "" : ", ") + key;
  }
  return text;
}

/// Every catalogue folder of this source tree: the kernel's theme, each
/// plugin of plugins/ and each test plugin that has locales.
std::vector<fs::path> catalogueFolders() {
  std::vector<fs::path> folders = {fs::path(RUCHE_TEST_THEMES) / "default" / "locales"};
  fs::path pluginsDir = fs::path(RUCHE_HELLO_PLUGIN_SOURCE).parent_path();
  fs::path testPluginsDir = fs::path(RUCHE_TEST_THEMES).parent_path() / "tests" / "plugins";
  for (const auto& dir : {pluginsDir, testPluginsDir}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (fs::is_directory(entry.path() / "locales")) {
        folders.push_back(entry.path() / "locales");
      }
    }
  }
  return folders;
}

/// The `{{t.key}}` keys (also `{{#t.key}}`, `{{^t.key}}`) used by the templates under `dir`.
std::set<std::string> templateKeys(const fs::path& dir) {
  std::set<std::string> keys;
  if (!fs::is_directory(dir)) {
    return keys;
  }
  static const std::regex use(R"(\{\{\{?[#^/]?\s*t\.([A-Za-z0-9_.]+)\s*\}?\}\})");
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".mustache") {
      continue;
    }
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string body = text.str();
    for (std::sregex_iterator it(body.begin(), body.end(), use), end; it != end; ++it) {
      keys.insert((*it)[1].str());
    }
  }
  return keys;
}

/// A catalogue folder with the given files, for the plural tests.
struct ScratchCatalog {
  ruche::testing::TempDir dir;
  Catalog catalog;
  ScratchCatalog() {
    std::ofstream(dir.path() / "t.fr.json")
        << R"({"x.one": "{n} mission", "x.other": "{n} missions", "y.one": "{n} an", "y.other": "{n} ans"})";
    std::ofstream(dir.path() / "t.en.json")
        << R"({"x.one": "{n} mission", "x.other": "{n} missions", "y.one": "{n} year", "y.other": "{n} years"})";
    catalog.loadFolder(dir.path().string());
  }
};

}  // namespace

TEST_CASE("every catalogue of the kernel and of each plugin has every key in both French and English") {
  auto folders = catalogueFolders();
  REQUIRE(folders.size() >= 3);  // the kernel, hello, petitions at least
  for (const auto& folder : folders) {
    CAPTURE(folder.string());
    Catalog catalog;
    REQUIRE_NOTHROW(catalog.loadFolder(folder.string()));
    auto missingInEnglish = catalog.missingKeys("en", "fr");
    auto missingInFrench = catalog.missingKeys("fr", "en");
    CHECK_MESSAGE(missingInEnglish.empty(), "missing in English: " << joined(missingInEnglish));
    CHECK_MESSAGE(missingInFrench.empty(), "missing in French: " << joined(missingInFrench));
    CHECK(catalog.text("fr", "no.such.key") == "no.such.key");
  }
}

TEST_CASE("a key missing in one language is reported by missingKeys") {
  ruche::testing::TempDir dir;
  std::ofstream(dir.path() / "a.fr.json") << R"({"a.one": "un", "a.two": "deux"})";
  std::ofstream(dir.path() / "a.en.json") << R"({"a.one": "one"})";
  Catalog catalog;
  catalog.loadFolder(dir.path().string());
  CHECK(catalog.missingKeys("en", "fr") == std::vector<std::string>{"a.two"});
  CHECK(catalog.missingKeys("fr", "en").empty());
}

TEST_CASE("every text a template of the kernel or of a plugin uses is in its catalogue in both languages") {
  Catalog kernel;
  kernel.loadFolder((fs::path(RUCHE_TEST_THEMES) / "default" / "locales").string());
  auto check = [](const Catalog& catalog, const std::set<std::string>& keys, const std::string& where) {
    REQUIRE_FALSE(keys.empty());
    for (const auto& key : keys) {
      CAPTURE(where);
      CAPTURE(key);
      // A key may name a group of keys ({{t.area.key}} is nested): a leaf must exist.
      CHECK_MESSAGE(catalog.text("fr", key) != key, where << ": {{t." << key << "}} has no French text");
    }
    CHECK_MESSAGE(catalog.missingKeys("en", "fr").empty(), where << ": English incomplete");
  };
  check(kernel, templateKeys(fs::path(RUCHE_TEST_THEMES) / "default" / "templates"), "themes/default");
  fs::path pluginsDir = fs::path(RUCHE_HELLO_PLUGIN_SOURCE).parent_path();
  for (const auto& entry : fs::directory_iterator(pluginsDir)) {
    auto keys = templateKeys(entry.path() / "templates");
    if (keys.empty()) {
      continue;
    }
    Catalog plugin;
    plugin.loadFolder((entry.path() / "locales").string());
    check(plugin, keys, entry.path().filename().string());
  }
}

TEST_CASE("plural forms follow ICU: French says one for 0 and 1, English for 1 only") {
  ScratchCatalog scratch;
  const Catalog& c = scratch.catalog;
  CHECK(c.plural("fr", "x", 0) == "0 mission");
  CHECK(c.plural("fr", "x", 1) == "1 mission");
  CHECK(c.plural("fr", "x", 2) == "2 missions");
  CHECK(c.plural("en", "x", 0) == "0 missions");
  CHECK(c.plural("en", "x", 1) == "1 mission");
  CHECK(c.plural("en", "x", 2) == "2 missions");
  CHECK(ruche::themes::pluralCategory("fr", 0) == "one");
  CHECK(ruche::themes::pluralCategory("en", 0) == "other");
  // ICU gives French "many" for a million; a catalogue without that form uses "other".
  CHECK(ruche::themes::pluralCategory("fr", 1000000) == "many");
  CHECK(c.plural("fr", "y", 1000000) == "1\u202f000\u202f000 ans");
  CHECK(c.plural("en", "y", 1000000) == "1,000,000 years");
}

TEST_CASE("Accept-Language is read by q-value, and only languages Ruche has count") {
  using ruche::themes::acceptedLocale;
  using ruche::themes::negotiateLocale;
  CHECK(acceptedLocale("en;q=0.5, fr;q=0.9") == "fr");
  CHECK(acceptedLocale("de-DE, en-GB;q=0.8, fr;q=0.7") == "en");
  CHECK(acceptedLocale("fr;q=0, en;q=0.1") == "en");
  CHECK(acceptedLocale("de, es") == "");
  CHECK(acceptedLocale("") == "");
  CHECK(negotiateLocale("", "de") == "fr");
  CHECK(negotiateLocale("en", "fr") == "en");
  CHECK(negotiateLocale("xx", "EN-us") == "en");
}

TEST_CASE("dates are written in the reader's language and time zone") {
  using ruche::themes::formatDateTime;
  long long instant = 1700000000;  // 2023-11-14 22:13:20 UTC
  CHECK(formatDateTime(instant, "fr", "Europe/Paris") == "14 nov. 2023, 23:13");
  CHECK(formatDateTime(instant, "fr", "America/New_York") == "14 nov. 2023, 17:13");
  CHECK(formatDateTime(instant, "en", "Asia/Tokyo").find("Nov 15, 2023") != std::string::npos);
  CHECK(ruche::themes::monthOf(instant, "Asia/Tokyo") == "2023-11");
  CHECK(ruche::themes::monthOf(1701388800, "America/New_York") == "2023-11");  // 2023-12-01 00:00 UTC
  CHECK(ruche::themes::formatNumber(1234.5, "fr") == "1\u202f234,5");
  CHECK(ruche::themes::formatNumber(1234.5, "en") == "1,234.5");
}

TEST_CASE("time zones are checked against ICU's list") {
  CHECK(ruche::http::isKnownTimeZone("Europe/Paris"));
  CHECK(ruche::http::isKnownTimeZone("America/Martinique"));
  CHECK(ruche::http::isKnownTimeZone("UTC"));
  CHECK_FALSE(ruche::http::isKnownTimeZone("Europe/Lyon"));
  CHECK_FALSE(ruche::http::isKnownTimeZone("../etc/passwd"));
  CHECK_FALSE(ruche::http::isKnownTimeZone(""));
  const auto& zones = ruche::http::knownTimeZones();
  CHECK(zones.size() > 300);
  CHECK(std::is_sorted(zones.begin(), zones.end()));
}
