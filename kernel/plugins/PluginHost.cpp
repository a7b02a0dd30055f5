#include "kernel/plugins/PluginHost.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <utility>

#include "kernel/http/HttpError.h"
#include "kernel/http/Validator.h"
#include "kernel/plugins/KernelRequest.h"
#include "kernel/plugins/LibraryCheck.h"
#include "kernel/plugins/PluginApiDocument.h"
#include "kernel/plugins/PluginMigrations.h"
#include "kernel/storage/Migrator.h"
#include "ruche/sdk/Errors.h"

namespace ruche::plugins {
namespace {

Poco::Logger& hostLog() {
  return Poco::Logger::get("ruche.plugins");
}

/// The kernel path of a plugin route.
std::string kernelPattern(const std::string& plugin, const sdk::Route& route) {
  std::string tail = route.path == "/" ? "" : route.path;
  switch (route.scope) {
    case sdk::Scope::AssociationPage:
      return "/a/{slug}/" + plugin + tail;
    case sdk::Scope::FederationPage:
      return "/p/" + plugin + tail;
    case sdk::Scope::AssociationApi:
      return "/api/v1/associations/{slug}/" + plugin + tail;
    case sdk::Scope::FederationApi:
      return "/api/v1/plugins/" + plugin + tail;
  }
  return "";
}

bool associationScoped(sdk::Scope scope) {
  return scope == sdk::Scope::AssociationPage || scope == sdk::Scope::AssociationApi;
}

http::Guard kernelGuard(const auth::Guards& guards, sdk::Access access) {
  switch (access) {
    case sdk::Access::Public:
      return guards.anyone();
    case sdk::Access::SignedIn:
      return guards.signedIn();
    case sdk::Access::Volunteer:
      return guards.association(auth::Role::Volunteer);
    case sdk::Access::Coordinator:
      return guards.association(auth::Role::Coordinator);
    case sdk::Access::AssociationAdmin:
      return guards.association(auth::Role::Admin);
    case sdk::Access::FederationAdmin:
      return guards.federationAdmin();
  }
  return guards.federationAdmin();
}

http::HttpError kernelError(const sdk::HttpError& error) {
  std::vector<http::FieldError> fields;
  for (const auto& field : error.fields()) {
    fields.push_back(http::FieldError{field.field, field.message, field.code});
  }
  return http::HttpError(error.status(), error.title(), error.detail(), std::move(fields));
}

void copyResponse(const sdk::Response& from, http::Response& to) {
  to.status = from.status;
  to.contentType = from.contentType;
  to.body = from.body;
  for (const auto& [name, value] : from.headers) {
    if (name.find_first_of("\r\n:") != std::string::npos || value.find_first_of("\r\n") != std::string::npos) {
      throw std::runtime_error("response header \"" + name + "\" holds a line break");
    }
    to.headers[name] = value;
  }
}

/// Orders plugins so each comes after those it depends on. Plugins with a
/// missing or out-of-range dependency, or in a cycle, get a problem instead.
std::vector<std::string> dependencyOrder(const std::map<std::string, const Manifest*>& candidates,
                                         std::map<std::string, std::string>& problems) {
  std::vector<std::string> order;
  std::map<std::string, int> mark;  // 1: visiting, 2: done
  std::function<bool(const std::string&, std::vector<std::string>&)> visit =
      [&](const std::string& name, std::vector<std::string>& path) -> bool {
    if (problems.count(name) != 0) {
      return false;
    }
    if (mark[name] == 2) {
      return true;
    }
    if (mark[name] == 1) {
      std::string cycle;
      auto start = std::find(path.begin(), path.end(), name);
      for (auto it = start; it != path.end(); ++it) {
        cycle += *it + " → ";
      }
      cycle += name;
      for (auto it = start; it != path.end(); ++it) {
        problems[*it] = "dependency cycle: " + cycle;
      }
      return false;
    }
    mark[name] = 1;
    path.push_back(name);
    const Manifest& manifest = *candidates.at(name);
    bool ok = true;
    for (const auto& [dependency, range] : manifest.dependencies) {
      auto found = candidates.find(dependency);
      if (found == candidates.end()) {
        problems[name] = "needs the plugin \"" + dependency + "\" (" + range.text() + "), which is not available";
        ok = false;
        break;
      }
      if (!range.contains(found->second->version)) {
        problems[name] = "needs the plugin \"" + dependency + "\" " + range.text() + " but version " +
                         found->second->version.toString() + " is installed";
        ok = false;
        break;
      }
      if (!visit(dependency, path)) {
        if (problems.count(name) == 0) {
          problems[name] = "needs the plugin \"" + dependency + "\", which was refused: " + problems[dependency];
        }
        ok = false;
        break;
      }
    }
    path.pop_back();
    mark[name] = 2;
    if (ok) {
      order.push_back(name);
    }
    return ok;
  };
  for (const auto& [name, manifest] : candidates) {
    std::vector<std::string> path;
    visit(name, path);
  }
  return order;
}

/// How long one event's mails may take to begin: a third of the claim's lease.
const std::chrono::steady_clock::duration kMailBatchBudget = events::BusOptions{}.claimLease / 3;

/// The mail a plugin queued (one element of a mail event's payload).
mail::OutgoingMail outgoingMail(const sdk::Value& payload) {
  mail::OutgoingMail mail;
  mail.to = payload["to"].asString();
  mail.subject = payload["subject"].asString();
  mail.body = payload["text"].asString();
  if (std::string html = payload["html"].asString(); !html.empty()) {
    mail.html = html;  // the plugin's whole document, sent as it is
  }
  std::string unsubscribe = payload["unsubscribe"].asString();
  if (!unsubscribe.empty()) {
    mail.body += "\n\n-- \n" + unsubscribe + "\n";
    mail.headers.emplace_back("List-Unsubscribe", "<" + unsubscribe + ">");
  }
  return mail;
}

}  // namespace

std::vector<std::string> discoverPluginFolders(const std::vector<std::string>& dirs) {
  std::vector<std::string> folders;
  for (const auto& dir : dirs) {
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
      continue;
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      std::string name = entry.path().filename().string();
      // Hidden and temporary folders (an install in progress) are not plugins.
      if (entry.is_directory() && name[0] != '.' && std::filesystem::exists(entry.path() / "plugin.json")) {
        folders.push_back(std::filesystem::absolute(entry.path()).lexically_normal().string());
      }
    }
  }
  std::sort(folders.begin(), folders.end(), [](const std::string& a, const std::string& b) {
    return std::filesystem::path(a).filename() < std::filesystem::path(b).filename();
  });
  return folders;
}

PluginHost::PluginHost(const config::Settings& settings, storage::Database& db, events::EventBus& events,
                       jobs::JobScheduler& jobs, mail::Mailer& mailer, const themes::PageRenderer& pages)
    : settings_(settings),
      db_(db),
      events_(events),
      jobs_(jobs),
      mailer_(mailer),
      pages_(pages),
      store_(db),
      contextServices_{store_, events, pages, db.backend(), settings.baseUrl} {
  events_.subscribe("mail.plugin", KernelContext::kMailTopic, [this](const events::Delivery& delivery) {
    mailer_.send(outgoingMail(sdk::Value::parseJson(delivery.event.payload)));
  });
  events_.subscribe("mail.plugin.batch", KernelContext::kMailsTopic,
                    [this](const events::Delivery& delivery) { sendMailBatch(delivery); });
}

void PluginHost::sendMailBatch(const events::Delivery& delivery) {
  sdk::Value payload = sdk::Value::parseJson(delivery.event.payload);
  const sdk::Value::Array& list = payload["mails"].asArray();
  std::vector<mail::OutgoingMail> mails;
  mails.reserve(list.size());
  for (const auto& item : list) {
    mails.push_back(outgoingMail(item));
  }
  // Mails not begun within a third of the claim's lease are queued again
  // with the refused ones: past the lease another dispatcher would take
  // this event and send its mails a second time.
  std::vector<std::string> errors = mailer_.sendAll(mails, std::chrono::steady_clock::now() + kMailBatchBudget);
  sdk::Value failed = sdk::Value::array();
  std::string firstError;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (!errors[i].empty()) {
      failed.push(list[i]);
      firstError = firstError.empty() ? errors[i] : firstError;
    }
  }
  if (failed.size() == 0) {
    return;
  }
  if (failed.size() == list.size()) {
    throw std::runtime_error(firstError);  // none sent: the whole event is retried later
  }
  // Some were sent: only the others are tried again, as an event of their
  // own with its own retries (a refused address ends up alone, and dead).
  Poco::Logger::get("ruche.mail")
      .warning("%z of %z mails were not sent (%s); they are queued again", failed.size(), list.size(), firstError);
  db_.transaction([&](soci::session& sql) {
    events_.publish(sql, KernelContext::kMailsTopic, delivery.event.associationId,
                    sdk::Value::object({{"mails", failed}}).toJson());
  });
}

PluginHost::~PluginHost() = default;

std::string PluginHost::markerPath() const {
  return settings_.dataDir + "/plugin-loading";
}

template <typename Work>
void PluginHost::inContext(const LoadedPlugin& plugin, long long associationId, const http::Request* request,
                           long long now, Work&& work) {
  // Begun at the plugin's first statement: a call that needs no database
  // (a signer waiting for a group commit) holds no connection meanwhile.
  storage::Database::LazyTransaction transaction(db_);
  // A request under /a/<slug>/ has its association already: no second read.
  sdk::Association association;
  if (request != nullptr && request->association && request->association->id == associationId) {
    association = sdk::Association{request->association->id, request->association->slug, request->association->name};
  } else if (associationId != 0) {
    // Read apart, so that the call's transaction still begins only at the
    // plugin's first statement (or joins the caller's, if there is one).
    storage::Database::Session read(db_);
    association = associationById(*read, associationId);
  }
  KernelContext context(contextServices_, plugin, transaction, std::move(association), request, now);
  work(context);
  transaction.commit();
}

void PluginHost::loadAll() {
  // A marker left by the last start: the process died while loading that plugin.
  if (std::ifstream marker(markerPath()); marker) {
    std::string crashed;
    std::getline(marker, crashed);
    marker.close();
    std::filesystem::remove(markerPath());
    if (!crashed.empty()) {
      store_.noteSeen(crashed, "");
      store_.setState(crashed, "crashed",
                      "the server stopped while loading this plugin; fix or upgrade it, then enable it again");
      store_.recordFailure(crashed, "load", "the server process died while loading the plugin",
                           settings_.plugins.failureWindowSeconds);
      hostLog().error("plugin \"%s\" crashed the server while loading last time: skipped until re-enabled", crashed);
    }
  }

  std::map<std::string, Manifest> manifests;
  for (const auto& folder : discoverPluginFolders(settings_.plugins.dirs)) {
    PluginReport report;
    report.name = std::filesystem::path(folder).filename().string();
    report.folder = folder;
    try {
      Manifest manifest = readManifest(folder);
      report.manifest = manifest;
      if (manifests.count(manifest.name) != 0) {
        throw PluginError(manifest.name, folder + ": another folder already provides this plugin");
      }
      checkLibrary(manifest);
      PluginState state = store_.noteSeen(manifest.name, manifest.version.toString());
      if (state.state != "active") {
        report.problem = "not loaded: " + state.state + (state.reason.empty() ? "" : " (" + state.reason + ")");
        hostLog().warning("%s", std::string(PluginError(manifest.name, report.problem).what()));
      } else {
        manifests.emplace(manifest.name, manifest);
      }
    } catch (const std::exception& e) {
      report.problem = e.what();
      hostLog().error("%s", report.problem);
    }
    reports_.push_back(std::move(report));
  }

  std::map<std::string, const Manifest*> candidates;
  for (const auto& [name, manifest] : manifests) {
    candidates.emplace(name, &manifest);
  }
  std::map<std::string, std::string> problems;
  std::vector<std::string> order = dependencyOrder(candidates, problems);
  for (const auto& [name, problem] : problems) {
    std::string message = PluginError(name, problem).what();
    hostLog().error("%s", message);
    if (PluginReport* entry = findReport(name)) {
      entry->problem = message;
    }
  }

  for (const auto& name : order) {
    PluginReport* entry = findReport(name);
    const Manifest& manifest = manifests.at(name);
    try {
      storage::Migrator(db_).migrate({pluginMigrations(manifest, db_.backend())});
      {
        std::ofstream marker(markerPath(), std::ios::trunc);
        marker << name << "\n";
      }
      // Themes' overrides (<theme>/templates/plugins/<name>/) are looked up
      // per page by the theme engine, not merged here.
      auto plugin = std::make_shared<LoadedPlugin>(manifest, "");
      std::filesystem::remove(markerPath());
      wireSubscribers(plugin);
      wireJobs(plugin);
      loaded_.push_back(plugin);
      entry->loaded = true;
      hostLog().information("plugin \"%s\" %s loaded", name, manifest.version.toString());
    } catch (const std::exception& e) {
      std::filesystem::remove(markerPath());
      entry->problem = e.what();
      if (entry->problem.rfind("plugin \"", 0) != 0) {
        entry->problem = PluginError(name, entry->problem).what();
      }
      store_.recordFailure(name, "load", entry->problem, settings_.plugins.failureWindowSeconds);
      hostLog().error("%s", entry->problem);
    }
  }
}

const PluginReport* PluginHost::report(const std::string& name) const {
  for (const auto& entry : reports_) {
    if (entry.name == name || (entry.manifest && entry.manifest->name == name)) {
      return &entry;
    }
  }
  return nullptr;
}

PluginReport* PluginHost::findReport(const std::string& name) {
  return const_cast<PluginReport*>(std::as_const(*this).report(name));
}

bool PluginHost::loaded(const std::string& name) const {
  return std::any_of(loaded_.begin(), loaded_.end(), [&](const auto& plugin) { return plugin->name() == name; });
}

void PluginHost::recordFailure(const std::string& plugin, const std::string& kind, const std::string& message) {
  try {
    int recent = store_.recordFailure(plugin, kind, message, settings_.plugins.failureWindowSeconds);
    if (recent >= settings_.plugins.failureLimit && store_.isActive(plugin)) {
      std::string reason = "switched off after " + std::to_string(recent) + " failures in " +
                           std::to_string(settings_.plugins.failureWindowSeconds) + " s; last: " + message;
      store_.setState(plugin, "failing", reason.substr(0, 500));
      hostLog().error("plugin \"%s\" %s", plugin, reason);
    }
  } catch (const std::exception& e) {
    hostLog().error("could not record a failure of plugin \"%s\": %s", plugin, std::string(e.what()));
  }
}

void PluginHost::registerRoutes(http::Router& router, const auth::Guards& guards) {
  guards_ = &guards;
  for (const auto& plugin : loaded_) {
    warnOfUndocumentedApi(*plugin);
    for (std::size_t index = 0; index != plugin->routes().size(); ++index) {
      const sdk::Route& route = plugin->routes()[index];
      const std::string name = plugin->name();
      bool scoped = associationScoped(route.scope);
      http::Guard inner = kernelGuard(guards, route.access);
      // Off is 404 before anything else: an association that has not switched
      // the plugin on shows no trace of it, whoever asks.
      http::Guard guard{"plugin:" + name + ":" + inner.name, [this, name, scoped, inner](const http::Request& request) {
                          bool answers = scoped ? request.association && store_.answersIn(name, request.association->id)
                                                : store_.isActive(name);
                          if (!answers) {
                            throw http::notFound();
                          }
                          inner.check(request);
                        }};
      std::string pattern = kernelPattern(name, route);
      const sdk::Handler* handler = &route.handler;
      router.add(
          route.method, pattern, guard,
          [this, plugin, handler, pattern](http::Request& request, http::Response& response) {
            KernelRequest pluginRequest(request);
            sdk::Response pluginResponse;
            long long associationId = request.association ? request.association->id : 0;
            try {
              inContext(*plugin, associationId, &request, storage::nowSeconds(),
                        [&](KernelContext& context) { (*handler)(context, pluginRequest, pluginResponse); });
            } catch (const sdk::HttpError& error) {
              throw kernelError(error);
            } catch (const http::HttpError&) {
              throw;
            } catch (const std::exception& e) {
              std::string message = request.method + " " + request.path + ": " + e.what();
              hostLog().error("[request %s] plugin \"%s\" failed on %s", request.requestId, plugin->name(), message);
              recordFailure(plugin->name(), "request", message);
              throw http::HttpError(500, "Internal Server Error",
                                    "The \"" + plugin->name() + "\" feature failed; the error was logged.");
            }
            copyResponse(pluginResponse, response);
          },
          plugin->embeddable(index));
    }
  }
}

void PluginHost::wireSubscribers(const std::shared_ptr<LoadedPlugin>& plugin) {
  for (const auto& subscriber : plugin->subscribers()) {
    const PluginSubscriber* declared = &subscriber;
    events_.subscribe(
        "plugin." + plugin->name() + "." + subscriber.name, subscriber.topicPattern,
        [this, plugin, declared](const events::Delivery& delivery) {
          const std::string& name = plugin->name();
          long long association = delivery.event.associationId;
          // Off: the delivery is acknowledged without calling the plugin.
          if (!store_.isActive(name)) {
            return;
          }
          if (declared->scope == sdk::EventScope::EnabledAssociations && association != 0 &&
              !store_.enabledIn(name, association)) {
            return;
          }
          sdk::Event event;
          event.id = delivery.event.id;
          event.topic = delivery.event.topic;
          event.associationId = association;
          event.createdAt = delivery.event.createdAt;
          event.idempotencyKey = delivery.idempotencyKey;
          event.attempt = delivery.attempt;
          try {
            event.payload = sdk::Value::parseJson(delivery.event.payload);
            inContext(*plugin, association, nullptr, storage::nowSeconds(),
                      [&](KernelContext& context) { declared->handler(context, event); });
          } catch (const std::exception& e) {
            recordFailure(name, "event",
                          declared->name + " on " + event.topic + " #" + std::to_string(event.id) + ": " + e.what());
            throw;  // the bus retries, then dead-letters
          }
        });
  }
}

void PluginHost::wireJobs(const std::shared_ptr<LoadedPlugin>& plugin) {
  for (const auto& job : plugin->jobs()) {
    const sdk::Job* declared = &job;
    jobs::JobSchedule schedule =
        job.everySeconds > 0 ? jobs::JobSchedule::every(std::chrono::seconds(job.everySeconds))
                             : jobs::JobSchedule::dailyAtUtc(job.dailyAtMinuteUtc / 60, job.dailyAtMinuteUtc % 60);
    jobs_.add("plugin." + plugin->name() + "." + job.name, schedule, [this, plugin, declared](long long now) {
      if (!store_.isActive(plugin->name())) {
        return;
      }
      try {
        inContext(*plugin, 0, nullptr, now, [&](KernelContext& context) { declared->run(context); });
      } catch (const std::exception& e) {
        recordFailure(plugin->name(), "job", declared->name + ": " + e.what());
        throw;  // the scheduler retries later
      }
    });
  }
}

bool PluginHost::mayFollow(const http::Request& request, sdk::Access access) const {
  if (access == sdk::Access::Public) {
    return true;
  }
  if (guards_ == nullptr) {
    return false;
  }
  try {
    kernelGuard(*guards_, access).check(request);
    return true;
  } catch (const http::HttpError&) {
    return false;
  }
}

std::vector<PluginMenuLink> PluginHost::menu(const http::Request& request, long long associationId,
                                             const std::string& where) {
  std::vector<PluginMenuLink> links;
  for (const auto& plugin : loaded_) {
    for (const auto& entry : plugin->menus()) {
      bool federation = entry.where == sdk::MenuEntry::Where::Federation;
      std::string kind = federation                                               ? "federation"
                         : entry.where == sdk::MenuEntry::Where::AssociationAdmin ? "association-admin"
                                                                                  : "association";
      if (kind != where) {
        continue;
      }
      bool on = federation ? store_.isActive(plugin->name()) : store_.answersIn(plugin->name(), associationId);
      if (!on || !mayFollow(request, entry.access)) {
        continue;
      }
      std::string base =
          federation ? "/p/" + plugin->name()
                     : "/a/" + (request.association ? request.association->slug : std::string()) + "/" + plugin->name();
      links.push_back(PluginMenuLink{plugin->name(), plugin->messages().text(request.locale, entry.labelKey),
                                     base + (entry.path == "/" ? "" : entry.path)});
    }
  }
  return links;
}

std::vector<PluginWidget> PluginHost::widgets(http::Request& request) {
  std::vector<PluginWidget> boxes;
  if (!request.association) {
    return boxes;
  }
  for (const auto& plugin : loaded_) {
    if (plugin->widgets().empty() || !store_.answersIn(plugin->name(), request.association->id)) {
      continue;
    }
    for (const auto& widget : plugin->widgets()) {
      try {
        std::string html;
        inContext(*plugin, request.association->id, &request, storage::nowSeconds(),
                  [&](KernelContext& context) { html = widget.render(context); });
        if (!html.empty()) {
          boxes.push_back(PluginWidget{plugin->name(), plugin->messages().text(request.locale, widget.titleKey), html});
        }
      } catch (const std::exception& e) {
        recordFailure(plugin->name(), "request", "dashboard widget " + widget.titleKey + ": " + e.what());
      }
    }
  }
  return boxes;
}

std::vector<PluginWidget> PluginHost::panels(const http::Request& request, sdk::Panel::Where where,
                                             long long missionId) {
  std::vector<PluginWidget> boxes;
  bool federation = where == sdk::Panel::Where::VolunteerHome;
  if (!federation && !request.association) {
    return boxes;
  }
  long long associationId = federation ? 0 : request.association->id;
  for (const auto& plugin : loaded_) {
    if (plugin->panels().empty()) {
      continue;
    }
    bool on = federation ? store_.isActive(plugin->name()) : store_.answersIn(plugin->name(), associationId);
    if (!on) {
      continue;
    }
    for (const auto& panel : plugin->panels()) {
      if (panel.where != where) {
        continue;
      }
      try {
        std::string html;
        KernelRequest pluginRequest(request);
        inContext(*plugin, associationId, &request, storage::nowSeconds(),
                  [&](KernelContext& context) { html = panel.render(context, pluginRequest, missionId); });
        if (!html.empty()) {
          boxes.push_back(PluginWidget{plugin->name(), plugin->messages().text(request.locale, panel.titleKey), html});
        }
      } catch (const std::exception& e) {
        recordFailure(plugin->name(), "request", "panel " + panel.titleKey + ": " + e.what());
      }
    }
  }
  return boxes;
}

void PluginHost::warnOfUndocumentedApi(const LoadedPlugin& plugin) const {
  if (plugin.apiDocument().empty() &&
      std::filesystem::exists(std::filesystem::path(plugin.manifest().folder) / "openapi.json")) {
    return;  // refused at load, and said so then
  }
  std::vector<PluginApiRoute> api;
  for (const auto& route : plugin.routes()) {
    if (route.scope == sdk::Scope::AssociationApi || route.scope == sdk::Scope::FederationApi) {
      api.push_back({route.method, kernelPattern(plugin.name(), route)});
    }
  }
  std::vector<std::string> missing;
  try {
    missing = undocumentedRoutes(plugin.apiDocument(), api);
  } catch (const std::exception& e) {
    hostLog().warning("plugin %s: its openapi.json could not be read again: %s", plugin.name(), std::string(e.what()));
    return;
  }
  if (missing.empty()) {
    return;
  }
  std::string list;
  for (const auto& route : missing) {
    list += (list.empty() ? "" : ", ") + route;
  }
  hostLog().warning("plugin %s: %z API route(s) missing from its openapi.json, so from /api/v1/openapi.json: %s",
                    plugin.name(), missing.size(), list);
}

std::string PluginHost::apiDocument(const std::string& kernelDocument) {
  std::vector<const LoadedPlugin*> described;
  std::string active;  // their names: the merged text is kept until they change
  for (const auto& plugin : loaded_) {
    if (!plugin->apiDocument().empty() && store_.isActive(plugin->name())) {
      described.push_back(plugin.get());
      active += plugin->name() + " ";
    }
  }
  std::lock_guard<std::mutex> lock(apiDocumentMutex_);
  if (apiDocumentParts_ != active || apiDocumentText_.empty()) {
    std::vector<PluginApiPart> parts;
    for (const auto* plugin : described) {
      parts.emplace_back(plugin->name(), plugin->apiDocument());
    }
    apiDocumentText_ = withPluginApis(kernelDocument, parts);
    apiDocumentParts_ = active;
  }
  return apiDocumentText_;
}

std::vector<PluginProfileField> PluginHost::profileFields(long long accountId, const std::string& locale) {
  std::vector<PluginProfileField> fields;
  for (const auto& plugin : loaded_) {
    if (plugin->profileFields().empty() || !store_.isActive(plugin->name())) {
      continue;
    }
    auto values = store_.profileValues(accountId, plugin->name());
    for (const auto& declared : plugin->profileFields()) {
      PluginProfileField field;
      field.plugin = plugin->name();
      field.key = declared.key;
      field.formName = "plugin_" + plugin->name() + "_" + declared.key;
      field.label = plugin->messages().text(locale, declared.labelKey);
      field.boolean = declared.type == sdk::ProfileField::Type::Boolean;
      field.maxLength = declared.maxLength;
      auto it = values.find(declared.key);
      field.value = it == values.end() ? "" : it->second;
      fields.push_back(std::move(field));
    }
  }
  return fields;
}

std::vector<http::FieldError> PluginHost::saveProfileFields(long long accountId, const http::Request& request,
                                                            bool checkOnly) {
  std::vector<http::FieldError> errors;
  std::vector<std::pair<const PluginProfileField*, std::string>> accepted;
  auto fields = profileFields(accountId, request.locale);
  for (const auto& field : fields) {
    std::string value = request.formValue(field.formName);
    if (field.boolean) {
      value = value.empty() ? "" : "1";
    } else {
      long long length = http::utf8Length(value);
      if (length < 0) {
        errors.push_back(http::FieldError{field.formName, "must be valid UTF-8 text", "utf8"});
        continue;
      }
      if (length > field.maxLength) {
        errors.push_back(http::FieldError{
            field.formName, "must be at most " + std::to_string(field.maxLength) + " characters", "too_long"});
        continue;
      }
    }
    accepted.emplace_back(&field, value);
  }
  if (!checkOnly && errors.empty()) {
    db_.transaction([&](soci::session&) {
      for (const auto& [field, value] : accepted) {
        store_.setProfileValue(accountId, field->plugin, field->key, value);
      }
    });
  }
  return errors;
}

std::map<std::string, std::string> PluginHost::exportPersonalData(long long accountId, const std::string& email) {
  std::map<std::string, std::string> parts;
  for (const auto& plugin : loaded_) {
    sdk::Value part = sdk::Value::object();
    sdk::Value profile = sdk::Value::object();
    for (const auto& [key, value] : store_.profileValues(accountId, plugin->name())) {
      profile.set(key, value);
    }
    if (profile.size() > 0) {
      part.set("profile", profile);
    }
    for (const auto& handler : plugin->personalDataHandlers()) {
      inContext(*plugin, 0, nullptr, storage::nowSeconds(), [&](KernelContext& context) {
        sdk::Value data = handler.exportData(context, accountId, email);
        if (data.isObject()) {
          for (const auto& [key, value] : data.asObject()) {
            part.set(key, value);
          }
        }
      });
    }
    if (part.size() > 0) {
      parts[plugin->name()] = part.toJson();
    }
  }
  return parts;
}

void PluginHost::erasePersonalData(long long accountId, const std::string& email) {
  store_.clearProfileValues(accountId);
  for (const auto& plugin : loaded_) {
    for (const auto& handler : plugin->personalDataHandlers()) {
      // Joins the caller's transaction: the account and the plugins' data go together.
      inContext(*plugin, 0, nullptr, storage::nowSeconds(),
                [&](KernelContext& context) { handler.erase(context, accountId, email); });
    }
  }
}

}  // namespace ruche::plugins
