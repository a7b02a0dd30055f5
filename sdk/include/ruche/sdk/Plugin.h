#pragma once

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ruche/sdk/Context.h"
#include "ruche/sdk/Events.h"
#include "ruche/sdk/Http.h"
#include "ruche/sdk/Value.h"
#include "ruche/sdk/Version.h"

namespace ruche::sdk {

/// An entry in a navigation menu, shown where the plugin is on.
struct MenuEntry {
  enum class Where { Association, Federation, AssociationAdmin };
  Where where = Where::Association;
  std::string labelKey;  ///< a key of the plugin's messages
  std::string path;      ///< a path of the plugin's routes ("/" is its home)
  Access access = Access::Public;
};

/// A box on the association dashboard (coordinators and admins). Returns an
/// HTML fragment, usually `context.render(...)`; "" shows nothing.
struct DashboardWidget {
  std::string titleKey;
  std::function<std::string(Context& context)> render;
};

/// A field the plugin adds to volunteers' profiles: shown on the profile
/// form, stored by the kernel, part of the person's export and erased with
/// the account. Read it with `Context::profileValue`.
struct ProfileField {
  std::string key;       ///< [a-z0-9_]+, unique within the plugin
  std::string labelKey;  ///< a key of the plugin's messages
  enum class Type { Text, Boolean } type = Type::Text;
  int maxLength = 200;
};

/// The plugin's part of a person's rights over their data (GDPR).
struct PersonalDataHandler {
  /// What the plugin holds about the account (`accountId`, with `email` for
  /// data kept by address only): a JSON object in their export.
  std::function<Value(Context& context, long long accountId, const std::string& email)> exportData;
  /// Erases or anonymises it, in the kernel's deletion transaction.
  std::function<void(Context& context, long long accountId, const std::string& email)> erase;
};

/// A job run on a schedule, once across every process (a database lease).
/// Runs in its own transaction at federation level: iterate
/// `context.enabledAssociations()` to work per association.
struct Job {
  std::string name;            ///< [a-z0-9_-]+, unique within the plugin
  long long everySeconds = 0;  ///< period; or
  int dailyAtMinuteUtc = -1;   ///< minutes after 00:00 UTC, once a day
  std::function<void(Context& context)> run;
};

/// What a plugin tells the kernel while it is set up. Everything is declared
/// here, once, at start-up; the kernel switches it on and off per
/// association. Calls need the capability the manifest lists for them
/// (routes: none; subscribe: "events.subscribe"; jobs: "jobs"; personal
/// data: "personal-data"; federation routes: "federation"); without it the
/// plugin is refused with a message naming the capability.
class Registrar {
 public:
  virtual ~Registrar() = default;
  virtual void route(Route route) = 0;
  /// `topicPattern`: an exact topic, a prefix "mission.*", or "*".
  virtual void subscribe(const std::string& name, const std::string& topicPattern, EventHandler handler,
                         EventScope scope = EventScope::EnabledAssociations) = 0;
  virtual void job(Job job) = 0;
  virtual void menu(MenuEntry entry) = 0;
  virtual void dashboardWidget(DashboardWidget widget) = 0;
  virtual void profileField(ProfileField field) = 0;
  virtual void personalData(PersonalDataHandler handler) = 0;
  /// The plugin's logger, for use outside calls (set-up, its own threads).
  virtual Logger& log() = 0;
  /// (SDK 1.1) Like route(), for a public page other sites may show in a
  /// frame (an embedded form). Only Access::Public page routes
  /// (Scope::AssociationPage or FederationPage); anything else refuses the
  /// plugin. For this route only, the kernel lets any site frame the
  /// response (`frame-ancestors *`, no X-Frame-Options) and, since a
  /// browser sends no cookie of ours inside another site's frame, it does
  /// not check the CSRF cookie on a POST and runs the handler as an
  /// anonymous visitor (no session, no account): a forged POST acts with
  /// nobody's rights. The handler checks its own signed form token if it
  /// needs one. Every other route stays unframeable.
  virtual void embeddableRoute(Route route) = 0;
};

/// A plugin: one object per loaded library, made by its factory.
class Plugin {
 public:
  virtual ~Plugin() = default;
  /// Declares routes, subscribers, jobs… Throwing refuses the plugin (the
  /// message is shown to the admin); the server goes on without it.
  virtual void setUp(Registrar& registrar) = 0;
};

using PluginFactory = std::shared_ptr<Plugin>();

}  // namespace ruche::sdk

/// Exports a plugin class: its factory under the alias the kernel imports,
/// and the ABI tag in the name of a symbol the kernel reads before loading.
/// Use once, in one source file of the plugin:
///   RUCHE_PLUGIN(HelloPlugin)
#define RUCHE_PLUGIN(PluginClass)                                                                            \
  namespace ruche_plugin_export {                                                                            \
  std::shared_ptr<::ruche::sdk::Plugin> create() {                                                           \
    return std::make_shared<PluginClass>();                                                                  \
  }                                                                                                          \
  }                                                                                                          \
  BOOST_DLL_ALIAS(ruche_plugin_export::create, ruche_plugin_factory)                                         \
  extern "C" BOOST_SYMBOL_EXPORT const char RUCHE_SDK_CAT6(ruche_plugin_abi_, RUCHE_SDK_ABI_TAG, , , , )[] = \
      RUCHE_SDK_STR(RUCHE_SDK_ABI_TAG);
