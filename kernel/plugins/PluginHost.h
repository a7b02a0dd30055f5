#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kernel/auth/Roles.h"
#include "kernel/config/Settings.h"
#include "kernel/domain/PersonalData.h"
#include "kernel/events/EventBus.h"
#include "kernel/http/HttpError.h"
#include "kernel/http/Router.h"
#include "kernel/jobs/JobScheduler.h"
#include "kernel/mail/Mailer.h"
#include "kernel/plugins/KernelContext.h"
#include "kernel/plugins/Manifest.h"
#include "kernel/plugins/PluginStore.h"
#include "kernel/storage/Database.h"
#include "kernel/themes/PageRenderer.h"
#include "ruche/sdk/Plugin.h"

namespace ruche::plugins {

class LoadedPlugin;

/// What start-up found in one plugin folder.
struct PluginReport {
  std::string name;                  ///< the manifest's name, or the folder's when the manifest was refused
  std::string folder;                ///< absolute path of the plugin folder
  std::optional<Manifest> manifest;  ///< absent when plugin.json was refused
  bool loaded = false;
  std::string problem;  ///< why it was not loaded; "" when loaded
};

/// A link a plugin adds to a menu, resolved for one association.
struct PluginMenuLink {
  std::string plugin;
  std::string label;  ///< in the visitor's language
  std::string href;
};

/// A dashboard box a plugin rendered for one association.
struct PluginWidget {
  std::string plugin;
  std::string title;
  std::string html;
};

/// A profile field a plugin added, with a person's value.
struct PluginProfileField {
  std::string plugin;
  std::string key;
  std::string formName;  ///< "plugin_<plugin>_<key>": the form field
  std::string label;     ///< in the visitor's language
  bool boolean = false;
  int maxLength = 200;
  std::string value;  ///< "" when never given; "1" for a ticked box
};

/// Folders directly under `dirs` that hold a plugin.json, sorted by name.
/// A missing dir is skipped.
std::vector<std::string> discoverPluginFolders(const std::vector<std::string>& dirs);

/// Loads plugins and connects them to the kernel.
///
/// Start-up: every folder of the plugins dirs is checked (manifest, SDK range,
/// ABI tag, factory symbol — nothing is loaded before all pass); plugins are
/// ordered by their dependencies (a missing dependency, a version out of
/// range or a cycle refuses the plugins concerned); each is loaded, set up
/// and migrated. A plugin whose state is disabled, failing or crashed is not
/// loaded. One plugin's failure never stops the others or the server: it is
/// reported (log, `reports()`, admin panel). A marker file in the data
/// folder names the plugin being loaded: if the process dies there, the
/// next start marks that plugin "crashed" and skips it.
///
/// Afterwards: every plugin route answers 404 where the plugin is off, runs
/// in a transaction, and turns an exception into a 500 (or the plugin's
/// HttpError); failures are recorded and, past `plugins.failure_limit`
/// within the window, switch the plugin off federation-wide.
class PluginHost : public domain::PersonalDataParts {
 public:
  /// Registers the kernel's subscriber that sends plugins' mail.
  PluginHost(const config::Settings& settings, storage::Database& db, events::EventBus& events,
             jobs::JobScheduler& jobs, mail::Mailer& mailer, const themes::PageRenderer& pages);
  ~PluginHost() override;
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  /// Discovers, checks, orders, loads, sets up and migrates the plugins,
  /// and registers their subscribers and jobs. Call once, before the event
  /// bus and the scheduler start.
  void loadAll();
  /// Adds the loaded plugins' routes to `router`, each wrapped as above.
  void registerRoutes(http::Router& router, const auth::Guards& guards);

  const std::vector<PluginReport>& reports() const { return reports_; }
  /// The report of one plugin folder by name; null if none.
  const PluginReport* report(const std::string& name) const;
  PluginStore& store() { return store_; }
  bool loaded(const std::string& name) const;

  /// Links of the loaded plugins that are on in `associationId` and that the
  /// request's visitor may follow, in the visitor's language.
  std::vector<PluginMenuLink> menu(const http::Request& request, long long associationId, const std::string& where);
  /// Dashboard boxes of the plugins on in the request's association. A
  /// widget that throws is left out (and counted as a failure).
  std::vector<PluginWidget> widgets(http::Request& request);
  /// Boxes of the plugins' panels for `where` (VolunteerHome: plugins active
  /// in the federation, at federation level; MissionManage: plugins on in
  /// the request's association, for `missionId`). A panel that throws is
  /// left out (and counted as a failure).
  std::vector<PluginWidget> panels(const http::Request& request, sdk::Panel::Where where, long long missionId);

  /// `kernelDocument` (the kernel's OpenAPI document) with the API parts
  /// of the active plugins (their openapi.json), for /api/v1/openapi.json.
  std::string apiDocument(const std::string& kernelDocument);

  /// The profile fields of the active plugins, with the person's values.
  std::vector<PluginProfileField> profileFields(long long accountId, const std::string& locale);
  /// Checks the submitted values of every field (texts at most their
  /// length); stores them unless `checkOnly` or a value is refused. Returns
  /// the refusals, named by form field.
  std::vector<http::FieldError> saveProfileFields(long long accountId, const http::Request& request, bool checkOnly);

  /// The plugins' parts of a person's data export, by plugin name (JSON text
  /// of an object each).
  std::map<std::string, std::string> exportPersonalData(long long accountId, const std::string& email) override;
  /// Lets every plugin erase what it holds on the person, inside the
  /// caller's transaction (the kernel's account deletion).
  void erasePersonalData(long long accountId, const std::string& email) override;

  /// Counts a failure; switches the plugin off when it has failed too often.
  void recordFailure(const std::string& plugin, const std::string& kind, const std::string& message);

 private:
  /// The kernel's subscriber to sendMails' events: sends them over one SMTP
  /// session; when only some fail, queues those again on their own.
  void sendMailBatch(const events::Delivery& delivery);
  void wireSubscribers(const std::shared_ptr<LoadedPlugin>& plugin);
  /// Logs a warning naming the plugin's API routes its openapi.json leaves out.
  void warnOfUndocumentedApi(const LoadedPlugin& plugin) const;
  void wireJobs(const std::shared_ptr<LoadedPlugin>& plugin);
  /// Runs `work` for `plugin` in a transaction with a fresh context.
  template <typename Work>
  void inContext(const LoadedPlugin& plugin, long long associationId, const http::Request* request, long long now,
                 Work&& work);
  std::string markerPath() const;
  PluginReport* findReport(const std::string& name);
  /// Whether the request's visitor passes the guard of `access` (menu links
  /// lead only where their visitor may go).
  bool mayFollow(const http::Request& request, sdk::Access access) const;
  const config::Settings& settings_;
  storage::Database& db_;
  events::EventBus& events_;
  jobs::JobScheduler& jobs_;
  mail::Mailer& mailer_;
  const auth::Guards* guards_ = nullptr;  ///< set by registerRoutes
  const themes::PageRenderer& pages_;
  PluginStore store_;
  ContextServices contextServices_;
  std::vector<PluginReport> reports_;
  std::vector<std::shared_ptr<LoadedPlugin>> loaded_;
  std::mutex apiDocumentMutex_;   ///< guards the two below
  std::string apiDocumentParts_;  ///< the active plugins apiDocumentText_ was merged with
  std::string apiDocumentText_;
};

}  // namespace ruche::plugins
