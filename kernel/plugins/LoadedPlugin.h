#pragma once

#include <boost/dll/shared_library.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernel/plugins/Manifest.h"
#include "kernel/themes/Catalog.h"
#include "ruche/sdk/Plugin.h"

namespace ruche::plugins {

/// A subscriber a plugin declared.
struct PluginSubscriber {
  std::string name;
  std::string topicPattern;
  sdk::EventHandler handler;
  sdk::EventScope scope;
};

/// One plugin in memory: its library, the object its factory made, and what
/// it declared while being set up.
///
/// The library is the first member, so it is destroyed last: every object,
/// std::function and vtable that came from it is gone before it is unloaded.
/// The kernel holds LoadedPlugin by shared_ptr in every route, subscriber and
/// job it wires, so the library stays loaded while any of them lives.
class LoadedPlugin : public sdk::Registrar {
 public:
  /// Loads the library, imports the factory, makes the plugin and sets it
  /// up, reading its messages and templates. Throws PluginError.
  /// `themeOverrides`: the folder where a theme overrides this plugin's
  /// templates (`<theme>/templates/plugins/<name>/`).
  LoadedPlugin(Manifest manifest, const std::string& themeOverrides);
  ~LoadedPlugin() override;

  // sdk::Registrar
  void route(sdk::Route route) override;
  void embeddableRoute(sdk::Route route) override;
  void subscribe(const std::string& name, const std::string& topicPattern, sdk::EventHandler handler,
                 sdk::EventScope scope) override;
  void job(sdk::Job job) override;
  void menu(sdk::MenuEntry entry) override;
  void dashboardWidget(sdk::DashboardWidget widget) override;
  void profileField(sdk::ProfileField field) override;
  void personalData(sdk::PersonalDataHandler handler) override;
  sdk::Logger& log() override { return *logger_; }
  void panel(sdk::Panel panel) override;

  const Manifest& manifest() const { return manifest_; }
  const std::string& name() const { return manifest_.name; }
  const std::vector<sdk::Route>& routes() const { return routes_; }
  /// Whether routes()[index] was declared with embeddableRoute().
  bool embeddable(std::size_t index) const { return index < embeddable_.size() && embeddable_[index]; }
  const std::vector<PluginSubscriber>& subscribers() const { return subscribers_; }
  const std::vector<sdk::Job>& jobs() const { return jobs_; }
  const std::vector<sdk::MenuEntry>& menus() const { return menus_; }
  const std::vector<sdk::DashboardWidget>& widgets() const { return widgets_; }
  const std::vector<sdk::Panel>& panels() const { return panels_; }
  const std::vector<sdk::ProfileField>& profileFields() const { return profileFields_; }
  const std::vector<sdk::PersonalDataHandler>& personalDataHandlers() const { return personalData_; }
  const themes::Catalog& messages() const { return messages_; }
  /// Its part of /api/v1/openapi.json (see PluginApiDocument.h); "" if none.
  const std::string& apiDocument() const { return apiDocument_; }
  /// The template's source (theme override first); throws std::runtime_error if unknown.
  const std::string& templateSource(const std::string& name) const;
  /// The plugin's own template of that name; null if it has none.
  const std::string* findTemplate(const std::string& name) const;

 private:
  void requireCapability(const std::string& capability, const std::string& what) const;

  boost::dll::shared_library library_;  // first: destroyed last
  Manifest manifest_;
  std::shared_ptr<sdk::Plugin> plugin_;
  std::unique_ptr<sdk::Logger> logger_;
  std::vector<sdk::Route> routes_;
  std::vector<bool> embeddable_;  ///< beside routes_
  std::string apiDocument_;
  std::vector<PluginSubscriber> subscribers_;
  std::vector<sdk::Job> jobs_;
  std::vector<sdk::MenuEntry> menus_;
  std::vector<sdk::DashboardWidget> widgets_;
  std::vector<sdk::Panel> panels_;
  std::vector<sdk::ProfileField> profileFields_;
  std::vector<sdk::PersonalDataHandler> personalData_;
  themes::Catalog messages_;
  std::map<std::string, std::string> templates_;
};

/// The SDK logger: the kernel's log, every line starting with the plugin's name.
std::unique_ptr<sdk::Logger> makePluginLogger(const std::string& plugin, const std::string& requestId = "");

}  // namespace ruche::plugins
