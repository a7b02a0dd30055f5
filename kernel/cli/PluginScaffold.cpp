// The texts of a new plugin. Each is a raw string in which @NAME@ (the
// plugin's name), @CLASS@ (its class name stem), @NS@ (its C++ namespace),
// @SDK_MAJOR@ and @SDK_MINOR@ (this Ruche's SDK version) are replaced.
#include "kernel/cli/PluginScaffold.h"

#include <regex>

#include "ruche/sdk/Version.h"

namespace ruche::cli {
namespace {

const char* const kCMakeLists = R"RUCHE(# The Ruche plugin @NAME@, built against the installed Ruche SDK only:
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=<SDK prefix>
#   cmake --build build
# build/@NAME@/ is then the plugin folder to install.
cmake_minimum_required(VERSION 3.25)
project(@NAME@ VERSION 0.1.0 LANGUAGES CXX)

find_package(RucheSDK @SDK_MAJOR@.@SDK_MINOR@ REQUIRED)

ruche_add_plugin(@NAME@ SOURCES src/@CLASS@Plugin.cpp)

# Tests of the plugin's pure functions (src/Rules.h), when doctest is
# installed (Debian: apt install doctest-dev). Run them with
#   ctest --test-dir build
option(@NAME@_TESTS "Build the tests of the plugin (needs doctest)" ON)
if(@NAME@_TESTS)
  find_package(doctest CONFIG QUIET)
  if(doctest_FOUND)
    enable_testing()
    ruche_add_plugin_test(@NAME@_tests SOURCES tests/main.cpp tests/RulesTest.cpp)
    target_include_directories(@NAME@_tests PRIVATE src)
  else()
    message(STATUS "doctest not found: the tests of @NAME@ are not built")
  endif()
endif()
)RUCHE";

const char* const kManifest = R"RUCHE({
  "name": "@NAME@",
  "version": "0.1.0",
  "sdk": ">=@SDK_MAJOR@.@SDK_MINOR@ <@SDK_NEXT_MAJOR@",
  "title": {"fr": "@CLASS@", "en": "@CLASS@"},
  "description": {
    "fr": "Une page d’accueil qui salue et une liste d’éléments par association. Décrivez ici ce que fait le module.",
    "en": "A home page that greets and a list of items per association. Say here what the plugin does."
  },
  "settings": [
    {
      "key": "greeting",
      "type": "text",
      "label": {"fr": "Message d’accueil", "en": "Greeting"},
      "help": {"fr": "Le texte affiché en haut de la page du module.", "en": "The text shown at the top of the plugin's page."},
      "default": "Bienvenue !",
      "maxLength": 120
    }
  ]
}
)RUCHE";

const char* const kSource = R"RUCHE(// @NAME@: a Ruche plugin. A page that greets (a setting) and lists the
// association's items, a form that adds one, and the same list as JSON.
// It includes only the SDK; its rules that need no kernel are in Rules.h.
#include <ruche/sdk/Sdk.h>

#include <string>
#include <vector>

#include "Rules.h"

namespace {

using ruche::sdk::Access;
using ruche::sdk::Context;
using ruche::sdk::FieldError;
using ruche::sdk::MenuEntry;
using ruche::sdk::Registrar;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Route;
using ruche::sdk::Scope;
using ruche::sdk::Value;

/// The association's items, oldest first, as {"id", "label"} objects.
Value items(Context& context) {
  Value list = Value::array();
  for (const auto& row : context.db().query("SELECT id, label FROM @NAME@_items WHERE association_id = ? ORDER BY id",
                                            {context.association().id})) {
    list.push(row.toValue());
  }
  return list;
}

/// The home page; with `errors` (status 422) when the form comes back invalid.
void showHome(Context& context, const Request& request, Response& response, int status,
              const std::vector<FieldError>& errors, const std::string& label) {
  Value list = items(context);
  auto count = static_cast<long long>(list.size());
  Value data = Value::object({
      {"greeting", @NS@::headline(context.settings().text("greeting"), context.text("@NAME@.title"))},
      {"items", list},
      {"count_text", context.plural("@NAME@.count", count)},
      {"added", request.query("added") == "1"},
      {"label", label},
  });
  context.page(response, "@NAME@", data, "@NAME@.title", status, errors);
}

/// GET /a/<slug>/@NAME@: anyone.
void home(Context& context, const Request& request, Response& response) {
  showHome(context, request, response, 200, {}, "");
}

/// POST /a/<slug>/@NAME@/items: a signed-in visitor adds an item, in the
/// request's transaction, then goes back to the page (303).
void addItem(Context& context, const Request& request, Response& response) {
  std::string label = @NS@::cleanLabel(request.form("label"));
  std::string problem = @NS@::labelProblem(label);
  if (!problem.empty()) {
    showHome(context, request, response, 422, {FieldError{"label", @NS@::problemMessage(problem), problem}}, label);
    return;
  }
  context.db().insert("INSERT INTO @NAME@_items (association_id, label, created_by, created_at) VALUES (?, ?, ?, ?)",
                      {context.association().id, label, request.visitor().accountId, context.now()});
  response.redirect("/a/" + context.association().slug + "/@NAME@?added=1");
}

/// GET /api/v1/associations/<slug>/@NAME@/items: {"count": n, "items": [...]}.
void listItems(Context& context, const Request&, Response& response) {
  Value list = items(context);
  auto count = static_cast<long long>(list.size());
  response.json(Value::object({{"count", count}, {"items", list}}).toJson());
}

class @CLASS@Plugin : public ruche::sdk::Plugin {
 public:
  void setUp(Registrar& registrar) override {
    registrar.route(Route{
        .scope = Scope::AssociationPage, .method = "GET", .path = "/", .access = Access::Public, .handler = home});
    registrar.route(Route{.scope = Scope::AssociationPage,
                          .method = "POST",
                          .path = "/items",
                          .access = Access::SignedIn,
                          .handler = addItem});
    registrar.route(Route{.scope = Scope::AssociationApi,
                          .method = "GET",
                          .path = "/items",
                          .access = Access::Public,
                          .handler = listItems});
    registrar.menu(MenuEntry{
        .where = MenuEntry::Where::Association, .labelKey = "@NAME@.menu", .path = "/", .access = Access::Public});
  }
};

}  // namespace

RUCHE_PLUGIN(@CLASS@Plugin)
)RUCHE";

const char* const kRules = R"RUCHE(#pragma once
// The rules of @NAME@ that need neither the kernel nor a database: plain
// functions, tested by tests/RulesTest.cpp without a server.
#include <cstddef>
#include <string>

namespace @NS@ {

/// The longest item label, in characters (UTF-8: "é" counts once).
inline constexpr std::size_t kMaxLabelLength = 100;

/// `text` without the spaces, tabs and line breaks around it, and each run
/// of them inside turned into one space.
inline std::string cleanLabel(const std::string& text) {
  std::string out;
  bool pendingSpace = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += c;
  }
  return out;
}

/// The number of characters of UTF-8 text (bytes that start a character).
inline std::size_t characterCount(const std::string& text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++count;
    }
  }
  return count;
}

/// Why a cleaned label cannot be saved, as a validation code: "required"
/// or "too_long"; "" when it can. Pages show the plugin's text
/// "validation.<code>".
inline std::string labelProblem(const std::string& label) {
  if (label.empty()) {
    return "required";
  }
  if (characterCount(label) > kMaxLabelLength) {
    return "too_long";
  }
  return "";
}

/// The English message of a validation code, for the JSON API and logs.
inline std::string problemMessage(const std::string& code) {
  if (code == "required") {
    return "is required";
  }
  if (code == "too_long") {
    return "is longer than " + std::to_string(kMaxLabelLength) + " characters";
  }
  return "is invalid";
}

/// The text at the top of the page: the setting, cleaned; `fallback` when
/// the setting is blank.
inline std::string headline(const std::string& setting, const std::string& fallback) {
  std::string text = cleanLabel(setting);
  return text.empty() ? fallback : text;
}

}  // namespace @NS@
)RUCHE";

const char* const kTestMain = R"RUCHE(// doctest has no ready-made main: this is it.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
)RUCHE";

const char* const kTest = R"RUCHE(// The rules of @NAME@ (src/Rules.h), without a server.
#include <doctest/doctest.h>

#include <string>

#include "Rules.h"

TEST_CASE("a label loses the spaces around it and keeps one between words") {
  CHECK(@NS@::cleanLabel("  Jardin \t partagé\n") == "Jardin partagé");
  CHECK(@NS@::cleanLabel(" \n ").empty());
}

TEST_CASE("a blank label is refused as required") {
  CHECK(@NS@::labelProblem(@NS@::cleanLabel("   ")) == "required");
  CHECK(@NS@::labelProblem("Semis") == "");
}

TEST_CASE("a label is measured in characters, not bytes") {
  std::string hundred(100, 'e');
  std::string accented;
  for (int i = 0; i < 100; ++i) {
    accented += "é";  // two bytes, one character
  }
  CHECK(@NS@::labelProblem(hundred) == "");
  CHECK(@NS@::labelProblem(accented) == "");
  CHECK(@NS@::labelProblem(hundred + "e") == "too_long");
  CHECK(@NS@::labelProblem(accented + "é") == "too_long");
}

TEST_CASE("the headline is the setting, or the fallback when the setting is blank") {
  CHECK(@NS@::headline("  Bienvenue ! ", "@CLASS@") == "Bienvenue !");
  CHECK(@NS@::headline("", "@CLASS@") == "@CLASS@");
}
)RUCHE";

const char* const kTemplate = R"RUCHE({{! The home page of @NAME@, inside the site layout. The layout gives the
    page no h1: this is the one. Double braces escape; the kernel adds
    csrf, lang, plugin_home, association, signed_in and errors. }}
<h1>{{t.@NAME@.title}}</h1>
{{#added}}<p class="status" role="status">{{t.@NAME@.added}}</p>{{/added}}
<p class="lead">{{greeting}}</p>
<h2>{{t.@NAME@.items}}</h2>
<p>{{count_text}}</p>
<ul>
  {{#items}}<li>{{label}}</li>{{/items}}
</ul>
{{#signed_in}}
{{#errors.any}}
<div class="error-summary" role="alert" aria-labelledby="@NAME@-errors-title">
  <h2 id="@NAME@-errors-title">{{t.@NAME@.errors_title}}</h2>
  <ul>
    {{#errors.list}}<li><a href="#{{field}}">{{message}}</a></li>{{/errors.list}}
  </ul>
</div>
{{/errors.any}}
<form method="post" action="{{plugin_home}}/items" novalidate>
  <input type="hidden" name="_csrf" value="{{csrf}}">
  <div class="field">
    <label for="label">{{t.@NAME@.label}}</label>
    <input id="label" name="label" type="text" required maxlength="100" value="{{label}}"{{#errors.label}} aria-invalid="true" aria-describedby="label-error"{{/errors.label}}>
    {{#errors.label}}<p class="field-error" id="label-error">{{errors.label}}</p>{{/errors.label}}
  </div>
  <button type="submit">{{t.@NAME@.add}}</button>
</form>
{{/signed_in}}
{{^signed_in}}
<p><a href="/login">{{t.@NAME@.sign_in}}</a></p>
{{/signed_in}}
)RUCHE";

const char* const kFrench = R"RUCHE({
  "@NAME@.title": "@CLASS@",
  "@NAME@.menu": "@CLASS@",
  "@NAME@.items": "Éléments",
  "@NAME@.count.one": "{n} élément.",
  "@NAME@.count.other": "{n} éléments.",
  "@NAME@.label": "Libellé",
  "@NAME@.add": "Ajouter",
  "@NAME@.added": "L’élément est ajouté.",
  "@NAME@.errors_title": "Le formulaire contient une erreur",
  "@NAME@.sign_in": "Connectez-vous pour ajouter un élément.",
  "validation.required": "Ce champ est obligatoire.",
  "validation.too_long": "Ce texte dépasse 100 caractères."
}
)RUCHE";

const char* const kEnglish = R"RUCHE({
  "@NAME@.title": "@CLASS@",
  "@NAME@.menu": "@CLASS@",
  "@NAME@.items": "Items",
  "@NAME@.count.one": "{n} item.",
  "@NAME@.count.other": "{n} items.",
  "@NAME@.label": "Label",
  "@NAME@.add": "Add",
  "@NAME@.added": "The item is added.",
  "@NAME@.errors_title": "The form has an error",
  "@NAME@.sign_in": "Sign in to add an item.",
  "validation.required": "This field is required.",
  "validation.too_long": "This text is longer than 100 characters."
}
)RUCHE";

const char* const kMigration = R"RUCHE(-- The items of @NAME@, per association. A plugin's tables and indexes are
-- named "@NAME@_…"; {{id}} is the auto-increment key of either backend.
-- Add a change as a new file 002_what.sql: an applied migration never runs again.
CREATE TABLE @NAME@_items (
  id {{id}},
  association_id BIGINT NOT NULL,
  label TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX @NAME@_items_association ON @NAME@_items (association_id);
)RUCHE";

const char* const kReadme = R"RUCHE(# @NAME@ — a Ruche plugin

| route | access | what |
|---|---|---|
| `GET /a/<slug>/@NAME@` | anyone | the greeting (setting `greeting`) and the association's items |
| `POST /a/<slug>/@NAME@/items` | signed in | adds an item (`label`), then back to the page |
| `GET /api/v1/associations/<slug>/@NAME@/items` | anyone | `{"count": n, "items": [{"id", "label"}]}` |

## Build

With the Ruche SDK installed in a prefix (a Ruche build gives it with
`cmake --install build --component sdk --prefix /opt/ruche-sdk`):

```sh
cmake -S . -B build -DCMAKE_PREFIX_PATH=/opt/ruche-sdk
cmake --build build
```

`build/@NAME@/` is the plugin folder: `plugin.json`, `@NAME@.so`, `templates/`,
`locales/`, `migrations/`. The tests (when doctest is installed):
`ctest --test-dir build`.

## Install and switch on

```sh
ruche plugin install build/@NAME@       # checks, copies into the plugins folder, migrates
systemctl restart ruche                 # a running server loads a new library when it starts
ruche plugin enable @NAME@ --org SLUG   # or in the association's admin panel
```

The plugin guide of Ruche (docs/plugin-guide.md) tells the rest.
)RUCHE";

const char* const kGitignore = "build/\n";

std::string substitute(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [placeholder, value] : values) {
    for (auto pos = text.find(placeholder); pos != std::string::npos;
         pos = text.find(placeholder, pos + value.size())) {
      text.replace(pos, placeholder.size(), value);
    }
  }
  return text;
}

}  // namespace

bool validPluginName(const std::string& name) {
  static const std::regex kName("^[a-z][a-z0-9_]{1,30}$");
  return std::regex_match(name, kName);
}

std::string pluginClassStem(const std::string& name) {
  std::string stem;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    stem += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return stem;
}

std::vector<ScaffoldFile> pluginScaffold(const std::string& name) {
  const std::string stem = pluginClassStem(name);
  // The plugin's own namespace: never a C++ keyword, even for a plugin named "export".
  const std::vector<std::pair<std::string, std::string>> values = {
      {"@NAME@", name},
      {"@CLASS@", stem},
      {"@NS@", name + "_plugin"},
      {"@SDK_MAJOR@", std::to_string(RUCHE_SDK_VERSION_MAJOR)},
      {"@SDK_MINOR@", std::to_string(RUCHE_SDK_VERSION_MINOR)},
      {"@SDK_NEXT_MAJOR@", std::to_string(RUCHE_SDK_VERSION_MAJOR + 1)},
  };
  const std::vector<std::pair<std::string, const char*>> files = {
      {"CMakeLists.txt", kCMakeLists},
      {"plugin.json", kManifest},
      {"src/" + stem + "Plugin.cpp", kSource},
      {"src/Rules.h", kRules},
      {"tests/main.cpp", kTestMain},
      {"tests/RulesTest.cpp", kTest},
      {"templates/" + name + ".mustache", kTemplate},
      {"locales/fr.json", kFrench},
      {"locales/en.json", kEnglish},
      {"migrations/001_init.sql", kMigration},
      {"README.md", kReadme},
      {".gitignore", kGitignore},
  };
  std::vector<ScaffoldFile> scaffold;
  for (const auto& [path, text] : files) {
    scaffold.push_back(ScaffoldFile{path, substitute(text, values)});
  }
  return scaffold;
}

}  // namespace ruche::cli
