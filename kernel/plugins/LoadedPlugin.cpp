#include "kernel/plugins/LoadedPlugin.h"

#include <Poco/Logger.h>
#include <kainjow/mustache.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "kernel/plugins/PluginApiDocument.h"

namespace ruche::plugins {
namespace {

const std::regex kLocalName("^[a-z0-9][a-z0-9_-]{0,40}$");
const std::regex kRoutePath(
    R"(^/([A-Za-z0-9._~-]+|\{[a-z_][a-z0-9_]*\})?(/([A-Za-z0-9._~-]+|\{[a-z_][a-z0-9_]*\}))*$)");

class PluginLogger : public sdk::Logger {
 public:
  PluginLogger(const std::string& plugin, std::string requestId)
      : logger_(Poco::Logger::get("ruche.plugin." + plugin)),
        prefix_("[plugin " + plugin + (requestId.empty() ? "" : " request " + requestId) + "] ") {}
  void debug(const std::string& message) override { logger_.debug(prefix_ + message); }
  void info(const std::string& message) override { logger_.information(prefix_ + message); }
  void warning(const std::string& message) override { logger_.warning(prefix_ + message); }
  void error(const std::string& message) override { logger_.error(prefix_ + message); }

 private:
  Poco::Logger& logger_;
  std::string prefix_;
};

std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Templates of one folder, by name, each checked to parse.
void loadTemplates(const std::string& plugin, const std::filesystem::path& folder,
                   std::map<std::string, std::string>& into) {
  if (!std::filesystem::is_directory(folder)) {
    return;
  }
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".mustache") {
      continue;
    }
    std::string text = readText(entry.path());
    kainjow::mustache::mustache parsed(text);
    if (!parsed.is_valid()) {
      throw PluginError(plugin, entry.path().string() + ": " + parsed.error_message());
    }
    into[entry.path().stem().string()] = std::move(text);
  }
}

}  // namespace

std::unique_ptr<sdk::Logger> makePluginLogger(const std::string& plugin, const std::string& requestId) {
  return std::make_unique<PluginLogger>(plugin, requestId);
}

LoadedPlugin::LoadedPlugin(Manifest manifest, const std::string& themeOverrides)
    : manifest_(std::move(manifest)), logger_(makePluginLogger(manifest_.name)) {
  const std::string& name = manifest_.name;
  try {
    messages_.loadFolder(manifest_.folder + "/locales");
  } catch (const std::exception& e) {
    throw PluginError(name, e.what());
  }
  for (const std::string& locale : themes::Catalog::supportedLocales()) {
    for (const std::string& reference : themes::Catalog::supportedLocales()) {
      auto missing = messages_.missingKeys(locale, reference);
      if (locale != reference && !missing.empty()) {
        throw PluginError(name, manifest_.folder + "/locales/" + locale + ".json: missing \"" + missing.front() +
                                    "\" (present in " + reference + ".json)");
      }
    }
  }
  // Checked strictly when installed; at load a fault in this description
  // only leaves the plugin's API out of /api/v1/openapi.json (it should not
  // take a working plugin down, e.g. after a kernel upgrade checks more).
  try {
    apiDocument_ = readPluginApiDocument(manifest_);
  } catch (const PluginError& e) {
    logger_->warning(std::string(e.what()) + "; its API is left out of /api/v1/openapi.json");
  }
  loadTemplates(name, std::filesystem::path(manifest_.folder) / "templates", templates_);
  loadTemplates(name, themeOverrides, templates_);  // a theme's copy wins

  try {
    library_.load(manifest_.libraryPath(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    throw PluginError(name, manifest_.libraryPath() + ": cannot be loaded: " + e.what());
  }
  if (!library_.has(sdk::kFactoryAlias)) {
    throw PluginError(name,
                      manifest_.libraryPath() + ": missing factory symbol \"" + std::string(sdk::kFactoryAlias) + "\"");
  }
  try {
    auto& factory = library_.get_alias<sdk::PluginFactory>(sdk::kFactoryAlias);
    plugin_ = factory();
    if (!plugin_) {
      throw std::runtime_error("the factory returned no plugin");
    }
    plugin_->setUp(*this);
  } catch (const PluginError&) {
    throw;
  } catch (const std::exception& e) {
    throw PluginError(name, "set-up failed: " + std::string(e.what()));
  }
}

LoadedPlugin::~LoadedPlugin() {
  // Declarations hold std::functions whose code is in the library: drop them
  // and the plugin object while it is still loaded (library_ goes last).
  routes_.clear();
  subscribers_.clear();
  jobs_.clear();
  widgets_.clear();
  panels_.clear();
  personalData_.clear();
  plugin_.reset();
}

void LoadedPlugin::requireCapability(const std::string& capability, const std::string& what) const {
  if (!manifest_.can(capability)) {
    throw PluginError(manifest_.name,
                      what + " needs the capability \"" + capability + "\" in plugin.json's \"capabilities\"");
  }
}

void LoadedPlugin::route(sdk::Route route) {
  if (!route.handler) {
    throw PluginError(manifest_.name, "route " + route.method + " " + route.path + " has no handler");
  }
  if (route.method != "GET" && route.method != "POST" && route.method != "PUT" && route.method != "PATCH" &&
      route.method != "DELETE") {
    throw PluginError(manifest_.name, "route " + route.path + ": method \"" + route.method + "\" is not supported");
  }
  if (!std::regex_match(route.path, kRoutePath) || route.path.find("{slug}") != std::string::npos) {
    throw PluginError(manifest_.name, "route path \"" + route.path +
                                          "\" must start with / and hold plain segments or {name} ({slug} is "
                                          "the kernel's)");
  }
  if (route.scope == sdk::Scope::FederationPage || route.scope == sdk::Scope::FederationApi) {
    requireCapability("federation", "a federation-level route (" + route.path + ")");
  }
  routes_.push_back(std::move(route));
  embeddable_.push_back(false);
}

void LoadedPlugin::embeddableRoute(sdk::Route route) {
  bool page = route.scope == sdk::Scope::AssociationPage || route.scope == sdk::Scope::FederationPage;
  if (!page || route.access != sdk::Access::Public) {
    throw PluginError(manifest_.name, "embeddable route " + route.method + " " + route.path +
                                          " must be a public page route (Access::Public, a page scope)");
  }
  LoadedPlugin::route(std::move(route));
  embeddable_.back() = true;
}

void LoadedPlugin::subscribe(const std::string& name, const std::string& topicPattern, sdk::EventHandler handler,
                             sdk::EventScope scope) {
  requireCapability("events.subscribe", "subscriber \"" + name + "\"");
  if (!std::regex_match(name, kLocalName) || !handler || topicPattern.empty()) {
    throw PluginError(manifest_.name,
                      "subscriber \"" + name + "\" needs a name of a-z, 0-9, _ and -, a topic and a handler");
  }
  for (const auto& existing : subscribers_) {
    if (existing.name == name) {
      throw PluginError(manifest_.name, "subscriber \"" + name + "\" is declared twice");
    }
  }
  subscribers_.push_back(PluginSubscriber{name, topicPattern, std::move(handler), scope});
}

void LoadedPlugin::job(sdk::Job job) {
  requireCapability("jobs", "job \"" + job.name + "\"");
  bool periodic = job.everySeconds > 0;
  bool daily = job.dailyAtMinuteUtc >= 0 && job.dailyAtMinuteUtc < 24 * 60;
  if (!std::regex_match(job.name, kLocalName) || !job.run || periodic == daily) {
    throw PluginError(manifest_.name, "job \"" + job.name +
                                          "\" needs a name of a-z, 0-9, _ and -, a body, and either everySeconds or "
                                          "dailyAtMinuteUtc");
  }
  jobs_.push_back(std::move(job));
}

void LoadedPlugin::menu(sdk::MenuEntry entry) {
  if (!std::regex_match(entry.path, kRoutePath) || entry.labelKey.empty()) {
    throw PluginError(manifest_.name, "menu entry \"" + entry.labelKey + "\" needs a label key and a path like /…");
  }
  menus_.push_back(std::move(entry));
}

void LoadedPlugin::dashboardWidget(sdk::DashboardWidget widget) {
  if (!widget.render || widget.titleKey.empty()) {
    throw PluginError(manifest_.name, "a dashboard widget needs a title key and a render function");
  }
  widgets_.push_back(std::move(widget));
}

void LoadedPlugin::panel(sdk::Panel panel) {
  if (!panel.render || panel.titleKey.empty()) {
    throw PluginError(manifest_.name, "a panel needs a title key and a render function");
  }
  panels_.push_back(std::move(panel));
}

void LoadedPlugin::profileField(sdk::ProfileField field) {
  if (!std::regex_match(field.key, std::regex("^[a-z0-9_]{1,40}$")) || field.labelKey.empty() || field.maxLength < 1 ||
      field.maxLength > 5000) {
    throw PluginError(manifest_.name, "profile field \"" + field.key +
                                          "\" needs a key of a-z, 0-9 and _, a label key and a length of 1 to 5000");
  }
  profileFields_.push_back(std::move(field));
}

void LoadedPlugin::personalData(sdk::PersonalDataHandler handler) {
  requireCapability("personal-data", "a personal data handler");
  if (!handler.exportData || !handler.erase) {
    throw PluginError(manifest_.name, "a personal data handler needs both exportData and erase");
  }
  personalData_.push_back(std::move(handler));
}

const std::string& LoadedPlugin::templateSource(const std::string& name) const {
  auto it = templates_.find(name);
  if (it == templates_.end()) {
    throw std::runtime_error("plugin \"" + manifest_.name + "\" has no template \"" + name + "\"");
  }
  return it->second;
}

const std::string* LoadedPlugin::findTemplate(const std::string& name) const {
  auto it = templates_.find(name);
  return it == templates_.end() ? nullptr : &it->second;
}

}  // namespace ruche::plugins
