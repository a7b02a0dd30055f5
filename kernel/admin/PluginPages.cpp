#include <Poco/Logger.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdlib.h>

#include "kernel/admin/AdminForms.h"
#include "kernel/admin/AdminPages.h"
#include "kernel/auth/Roles.h"
#include "kernel/plugins/PluginArchive.h"
#include "kernel/plugins/PluginCatalog.h"
#include "kernel/plugins/PluginHost.h"
#include "kernel/plugins/PluginInstaller.h"
#include "kernel/plugins/SettingsSchema.h"
#include "kernel/themes/LocalFormat.h"

// Plugins in the admin panel. The federation's page (/admin/plugins) lists
// every plugin of the plugins folders and of the database with its state,
// check result, whether this process loaded it, and its last failures; it
// switches plugins on and off, removes them (data kept) and purges them
// (after a confirmation page), and installs one from an uploaded .tar.gz
// (unpacked under DATA/tmp, then installed as `ruche plugin install` does;
// a `ruche serve` process then reloads itself to load it). An association's page
// (/a/<slug>/manage/plugins) switches the federation's active plugins on and
// off there and fills their settings, a form built from the manifest.
// Everything reads the folders and the database at each request, so what
// `ruche plugin` or another process changed shows at once.
namespace ruche::admin {
namespace {

using themes::Data;
namespace fs = std::filesystem;

const char* const kFederationBase = "/admin/plugins";

Data boolean(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

// Seconds since the epoch, in the reader's language and time zone.
std::string shownTime(const http::Request& request, long long seconds) {
  return themes::formatDateTime(seconds, request.locale, request.timeZone);
}

/// Sets `key` only when `value` is not empty: kainjow renders a section for
/// any string, even an empty one.
void setText(Data& data, const std::string& key, const std::string& value) {
  if (!value.empty()) {
    data.set(key, value);
  }
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

const std::vector<std::string>& pluginDirs(app::Services& services) {
  return services.settings.plugins.dirs;
}

/// The report of this process's plugin host for `name`, if a host runs.
const plugins::PluginReport* hostReport(app::Services& services, const std::string& name) {
  if (services.plugins == nullptr) {
    return nullptr;
  }
  for (const auto& report : services.plugins->reports()) {
    if (report.name == name) {
      return &report;
    }
  }
  return nullptr;
}

/// The plugin of the path's {name}; 404 when no folder and no record know it.
plugins::PluginEntry entryOrNotFound(app::Services& services, const http::Request& request) {
  plugins::PluginStore store(services.db);
  std::string name = request.param("name");
  auto entry = plugins::findPlugin(pluginDirs(services), store, name);
  if (!entry) {
    throw http::notFound("No plugin named \"" + name + "\".");
  }
  return *entry;
}

/// The ?plugin= of the "installed" message: a plugin name's characters only
/// (the manifest checks the real rule), so the link cannot put other text in the page.
bool looksLikePluginName(const std::string& name) {
  if (name.empty() || name.size() > 31) {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

// ---- federation admin -------------------------------------------------------

/// The install form's state when a posted archive was refused.
struct UploadForm {
  std::vector<http::FieldError> errors;
  bool upgrade = false;
};

void federationPage(app::Services& services, http::Request& request, http::Response& response,
                    const UploadForm& upload = {}) {
  plugins::PluginStore store(services.db);
  Data rows{Data::type::list};
  for (const auto& entry : plugins::listPlugins(pluginDirs(services), store)) {
    Data row{Data::type::object};
    std::string state = entry.shownState();
    row.set("name", entry.name);
    setText(row, "plugin_title", entry.manifest ? entry.manifest->title.in(request.locale) : std::string());
    row.set("version",
            entry.manifest ? entry.manifest->version.toString() : (entry.state ? entry.state->version : std::string()));
    row.set("state", services.pages.text(request, "plugins.state." + state));
    row.set("state_class", state);
    setText(row, "reason", entry.state && state != "active" ? entry.state->reason : std::string());
    row.set("check_ok", boolean(!entry.folder.empty() && entry.problem.empty()));
    row.set("has_folder", boolean(!entry.folder.empty()));
    row.set("problem", entry.problem);
    const auto* report = hostReport(services, entry.name);
    std::string loaded = services.plugins == nullptr           ? "plugins.loaded.no_host"
                         : report != nullptr && report->loaded ? "plugins.loaded.yes"
                                                               : "plugins.loaded.no";
    row.set("loaded", services.pages.text(request, loaded));
    setText(row, "load_problem", report != nullptr && !report->loaded ? report->problem : std::string());
    row.set("associations", std::to_string(entry.associations));
    Data failures{Data::type::list};
    if (entry.state) {
      for (const auto& failure : store.lastFailures(entry.name, 5)) {
        Data item{Data::type::object};
        item.set("at", shownTime(request, failure.at));
        item.set("kind", failure.kind);
        item.set("message", failure.message);
        failures.push_back(item);
      }
    }
    row.set("has_failures", boolean(!failures.is_empty_list()));
    row.set("failures", failures);
    row.set("can_enable", boolean(!entry.folder.empty() && state != "active"));
    row.set("can_disable", boolean(!entry.folder.empty() && (state == "active" || state == "new")));
    row.set("can_remove", boolean(!entry.folder.empty()));
    rows.push_back(row);
  }
  Data data{Data::type::object};
  data.set("base", kFederationBase);
  data.set("plugins", rows);
  data.set("has_plugins", boolean(!rows.is_empty_list()));
  Data dirs{Data::type::list};
  for (const auto& dir : pluginDirs(services)) {
    dirs.push_back(Data(dir));
  }
  data.set("dirs", dirs);
  data.set("restart_command", plugins::restartCommand());
  std::string done = request.queryValue("done");
  if (done == "enabled" || done == "disabled" || done == "removed" || done == "purged") {
    data.set("done", services.pages.text(request, "plugins.done." + done));
  }
  std::string installed = request.queryValue("plugin");
  if ((done == "installed" || done == "installed_restart") && looksLikePluginName(installed)) {
    std::string text = services.pages.text(request, "plugins.done." + done);
    replaceAll(text, "{name}", installed);
    data.set("done", text);
  }
  data.set("restart_needed", boolean(done == "removed" || done == "purged" || done == "installed_restart"));
  data.set("install_action", std::string(kPluginUploadPath));
  data.set("max_upload_mib", std::to_string(services.settings.plugins.maxUploadBytes / (1024 * 1024)));
  data.set("upgrade_checked", boolean(upload.upgrade));
  data.set("errors", themes::PageRenderer::fieldErrors(upload.errors));
  setText(data, "archive_error", upload.errors.empty() ? std::string() : upload.errors.front().message);
  services.pages.page(request, response, "admin_plugins", data, "plugins.title", upload.errors.empty() ? 200 : 422);
}

// ---- install from an uploaded archive ----------------------------------------

/// A folder under DATA/tmp for one upload, removed with its content at the end.
class UploadFolder {
 public:
  explicit UploadFolder(const std::string& dataDir) {
    fs::path base = fs::absolute(fs::path(dataDir) / "tmp");
    fs::create_directories(base);
    std::string pattern = (base / "plugin-upload-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a folder under " + base.string());
    }
    path_ = pattern;
  }
  ~UploadFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  UploadFolder(const UploadFolder&) = delete;
  UploadFolder& operator=(const UploadFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

bool endsWith(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

/// The field error of a refused archive: a localised lead, then the
/// installer's own words (which name the file and field), with the upload's
/// temporary folder taken out of the paths.
http::FieldError refusal(app::Services& services, const http::Request& request, const std::string& filename,
                         std::string detail, const fs::path& unpacked) {
  replaceAll(detail, unpacked.string() + "/", "");
  std::string lead = services.pages.text(request, "plugins.upload.refused");
  replaceAll(lead, "{file}", filename);
  return {"archive", lead + " " + detail, "archive_refused"};
}

void installUpload(app::Services& services, http::Request& request, http::Response& response) {
  UploadForm form;
  form.upgrade = request.formValue("upgrade") == "1";
  const http::UploadedFile* upload = request.file("archive");
  std::string filename = upload == nullptr ? std::string() : upload->filename;
  if (upload == nullptr || upload->content.empty()) {
    form.errors.push_back({"archive", "Choose the plugin's archive.", "archive_missing"});
  } else if (!endsWith(filename, ".tar.gz") && !endsWith(filename, ".tgz")) {
    form.errors.push_back({"archive", "The archive must be a .tar.gz file.", "archive_type"});
  }
  if (!form.errors.empty()) {
    form.errors = services.pages.localised(request, form.errors, "plugins.upload.");
    federationPage(services, request, response, form);
    return;
  }

  UploadFolder work(services.settings.dataDir);
  fs::path archive = work.path() / "plugin.tar.gz";
  fs::path unpacked = work.path() / "unpacked";
  fs::create_directories(unpacked);
  {
    std::ofstream out(archive, std::ios::binary);
    out.write(upload->content.data(), static_cast<std::streamsize>(upload->content.size()));
    if (!out) {
      throw std::runtime_error("cannot write the uploaded archive to " + archive.string());
    }
  }
  plugins::InstallResult result;
  try {
    std::string folder = plugins::unpackPluginArchive(archive.string(), unpacked.string());
    result = plugins::installPlugin(services.settings, services.db, folder, form.upgrade);
  } catch (const plugins::ArchiveError& error) {
    form.errors.push_back(refusal(services, request, filename, error.what(), unpacked));
  } catch (const plugins::PluginError& error) {
    form.errors.push_back(refusal(services, request, filename, error.what(), unpacked));
  }
  if (!form.errors.empty()) {
    federationPage(services, request, response, form);
    return;
  }
  Poco::Logger::get("ruche.plugins")
      .information("%s installed plugin %s %s from an uploaded archive (%d migrations applied)", request.visitor.email,
                   result.manifest.name, result.manifest.version.toString(), result.migrationsApplied);
  bool reloading = static_cast<bool>(services.reloadServer);
  response.redirect(std::string(kFederationBase) + "?done=" + (reloading ? "installed" : "installed_restart") +
                    "&plugin=" + result.manifest.name);
  if (reloading) {
    services.reloadServer();  // after a short delay: this redirect goes out first
  }
}

void purgeConfirmation(app::Services& services, http::Request& request, http::Response& response) {
  auto entry = entryOrNotFound(services, request);
  Data data{Data::type::object};
  data.set("base", kFederationBase);
  data.set("name", entry.name);
  data.set("associations", std::to_string(entry.associations));
  data.set("title", services.pages.text(request, "plugins.purge.title") + " " + entry.name);
  services.pages.page(request, response, "admin_plugins_purge", data, "plugins.purge.title");
}

// ---- association admin ------------------------------------------------------

std::string associationBase(const http::Request& request) {
  return "/a/" + request.association->slug + "/manage/plugins";
}

/// A plugin an association may switch on: active for the federation, its
/// folder present and its manifest readable. 404 otherwise.
plugins::Manifest activeManifestOrNotFound(app::Services& services, const std::string& name) {
  plugins::PluginStore store(services.db);
  std::string folder = plugins::installedFolder(pluginDirs(services), name);
  if (folder.empty() || !store.isActive(name)) {
    throw http::notFound("No active plugin named \"" + name + "\".");
  }
  try {
    return plugins::readManifest(folder);
  } catch (const plugins::PluginError&) {
    throw http::notFound("No active plugin named \"" + name + "\".");
  }
}

void associationPage(app::Services& services, http::Request& request, http::Response& response) {
  plugins::PluginStore store(services.db);
  long long associationId = request.association->id;
  Data rows{Data::type::list};
  for (const auto& entry : plugins::listPlugins(pluginDirs(services), store)) {
    if (!entry.manifest || entry.folder.empty() || !entry.state || entry.state->state != "active") {
      continue;
    }
    bool enabled = store.enabledIn(entry.name, associationId);
    Data row{Data::type::object};
    row.set("name", entry.name);
    row.set("plugin_title", entry.manifest->title.in(request.locale));
    row.set("description", entry.manifest->description.in(request.locale));
    row.set("version", entry.manifest->version.toString());
    row.set("enabled", boolean(enabled));
    row.set("has_settings", boolean(!entry.manifest->settings.empty()));
    rows.push_back(row);
  }
  Data data{Data::type::object};
  data.set("base", associationBase(request));
  data.set("association_name", request.association->name);
  data.set("back", "/a/" + request.association->slug + "/manage/settings");
  data.set("plugins", rows);
  data.set("has_plugins", boolean(!rows.is_empty_list()));
  std::string done = request.queryValue("done");
  if (done == "enabled" || done == "disabled") {
    data.set("done", services.pages.text(request, "plugins.association.done." + done));
  }
  services.pages.page(request, response, "admin_plugins_association", data, "plugins.association.title");
}

std::string fieldId(const std::string& key) {
  return "setting-" + key;
}

/// The settings form. `shown`: the values to fill in (secrets are never
/// filled); `problems`: what failed, tied to the fields.
void settingsPage(app::Services& services, http::Request& request, http::Response& response,
                  const plugins::Manifest& manifest, const std::map<std::string, std::string>& shown,
                  const std::map<std::string, std::string>& stored,
                  const std::vector<plugins::SettingProblem>& problems) {
  std::vector<http::FieldError> errors;
  for (const auto& problem : problems) {
    errors.push_back({fieldId(problem.key), problem.message, problem.code});
  }
  errors = services.pages.localised(request, errors, "plugins.validation.");
  for (auto& error : errors) {
    const auto* def = manifest.setting(error.field.substr(fieldId("").size()));
    if (def != nullptr) {
      replaceAll(error.message, "{min}", def->min ? std::to_string(*def->min) : "");
      replaceAll(error.message, "{max}", def->max ? std::to_string(*def->max) : "");
      replaceAll(error.message, "{max_length}", std::to_string(def->maxLength));
    }
  }
  std::map<std::string, std::string> errorOf;
  for (const auto& error : errors) {
    errorOf[error.field] = error.message;
  }

  Data fields{Data::type::list};
  for (const auto& def : manifest.settings) {
    std::string id = fieldId(def.key);
    Data field{Data::type::object};
    field.set("id", id);
    field.set("name", def.key);
    field.set("label", def.label.in(request.locale));
    std::string help = def.help.in(request.locale);
    field.set("help", help);
    field.set("has_help", boolean(!help.empty()));
    field.set("required", boolean(def.required));
    auto value = shown.find(def.key);
    std::string text = value == shown.end() ? "" : value->second;
    field.set("value", def.isSecret() ? std::string() : text);
    field.set("checked", boolean(text == "true"));
    field.set("maxlength", std::to_string(def.maxLength));
    field.set("has_min", boolean(def.min.has_value()));
    field.set("min", def.min ? std::to_string(*def.min) : std::string());
    field.set("has_max", boolean(def.max.has_value()));
    field.set("max", def.max ? std::to_string(*def.max) : std::string());
    auto storedValue = stored.find(def.key);
    field.set("secret_set", boolean(storedValue != stored.end() && !storedValue->second.empty()));
    for (const char* type : {"text", "textarea", "integer", "boolean", "choice", "secret", "url", "email"}) {
      field.set(std::string("is_") + type, boolean(def.type == type));
    }
    Data options{Data::type::list};
    for (const auto& choice : def.choices) {
      Data option{Data::type::object};
      option.set("value", choice);
      option.set("selected", boolean(choice == text));
      options.push_back(option);
    }
    field.set("options", options);
    auto error = errorOf.find(id);
    field.set("invalid", boolean(error != errorOf.end()));
    field.set("error", error == errorOf.end() ? std::string() : error->second);
    // What the field's aria-describedby names: its help, the secret note, its error.
    std::string describedBy;
    auto describe = [&describedBy](const std::string& part) { describedBy += (describedBy.empty() ? "" : " ") + part; };
    if (!help.empty()) {
      describe(id + "-help");
    }
    if (def.isSecret()) {
      describe(id + "-note");
    }
    if (error != errorOf.end()) {
      describe(id + "-error");
    }
    setText(field, "described_by", describedBy);
    fields.push_back(field);
  }

  Data data{Data::type::object};
  data.set("base", associationBase(request));
  data.set("action", associationBase(request) + "/" + manifest.name + "/settings");
  data.set("plugin_title", manifest.title.in(request.locale));
  data.set("fields", fields);
  data.set("has_fields", boolean(!fields.is_empty_list()));
  data.set("errors", themes::PageRenderer::fieldErrors(errors));
  markSaved(request, data);
  data.set("title", services.pages.text(request, "plugins.settings.title") + " " + manifest.title.in(request.locale));
  services.pages.page(request, response, "admin_plugins_settings", data, "plugins.settings.title",
                      errors.empty() ? 200 : 422);
}

/// What the form shows when nothing was posted: the association's values,
/// else the federation's (association 0), else the manifest's defaults.
std::map<std::string, std::string> currentValues(plugins::PluginStore& store, const plugins::Manifest& manifest,
                                                 long long associationId) {
  auto own = store.settings(manifest.name, associationId);
  auto federation = store.settings(manifest.name, 0);
  std::map<std::string, std::string> values;
  for (const auto& def : manifest.settings) {
    if (auto found = own.find(def.key); found != own.end()) {
      values[def.key] = found->second;
    } else if (auto inherited = federation.find(def.key); inherited != federation.end()) {
      values[def.key] = inherited->second;
    } else {
      values[def.key] = def.defaultValue;
    }
  }
  return values;
}

void registerFederation(http::Router& router, app::Services& services) {
  auto guard = services.guards.federationAdmin();
  const std::string base = kFederationBase;
  router.get(base, guard, [&services](http::Request& request, http::Response& response) {
    federationPage(services, request, response);
  });
  for (bool on : {true, false}) {
    router.post(base + "/{name}/" + (on ? "enable" : "disable"), guard,
                [&services, on](http::Request& request, http::Response& response) {
                  auto entry = entryOrNotFound(services, request);
                  plugins::PluginStore store(services.db);
                  try {
                    plugins::setFederationEnabled(pluginDirs(services), store, entry.name, on);
                  } catch (const plugins::PluginError& error) {
                    throw http::HttpError(409, "Conflict", error.what());
                  }
                  response.redirect(std::string(kFederationBase) + "?done=" + (on ? "enabled" : "disabled"));
                });
  }
  router.post(base + "/{name}/remove", guard, [&services](http::Request& request, http::Response& response) {
    auto entry = entryOrNotFound(services, request);
    if (entry.folder.empty()) {
      throw http::HttpError(409, "Conflict", "This plugin's folder is already removed.");
    }
    plugins::removePlugin(services.settings, services.db, entry.name, false);
    response.redirect(std::string(kFederationBase) + "?done=removed");
  });
  router.post(kPluginUploadPath, guard, [&services](http::Request& request, http::Response& response) {
    installUpload(services, request, response);
  });
  // A refused upload's page is at the form's address: its language links
  // (?lang=…) come back here with a GET, which shows the plugins page.
  router.get(kPluginUploadPath, guard, [](http::Request&, http::Response& response) {
    response.redirect(std::string(kFederationBase) + "#install");
  });
  router.get(base + "/{name}/purge", guard, [&services](http::Request& request, http::Response& response) {
    purgeConfirmation(services, request, response);
  });
  router.post(base + "/{name}/purge", guard, [&services](http::Request& request, http::Response& response) {
    auto entry = entryOrNotFound(services, request);
    plugins::removePlugin(services.settings, services.db, entry.name, true);
    response.redirect(std::string(kFederationBase) + "?done=purged");
  });
}

void registerAssociation(http::Router& router, app::Services& services) {
  auto guard = services.guards.association(auth::Role::Admin);
  const std::string base = "/a/{slug}/manage/plugins";
  router.get(base, guard, [&services](http::Request& request, http::Response& response) {
    associationPage(services, request, response);
  });
  for (bool on : {true, false}) {
    router.post(base + "/{name}/" + (on ? "enable" : "disable"), guard,
                [&services, on](http::Request& request, http::Response& response) {
                  auto manifest = activeManifestOrNotFound(services, request.param("name"));
                  plugins::PluginStore(services.db).setEnabled(manifest.name, request.association->id, on);
                  response.redirect(associationBase(request) + "?done=" + (on ? "enabled" : "disabled"));
                });
  }
  router.get(base + "/{name}/settings", guard, [&services](http::Request& request, http::Response& response) {
    auto manifest = activeManifestOrNotFound(services, request.param("name"));
    plugins::PluginStore store(services.db);
    auto stored = store.settings(manifest.name, request.association->id);
    settingsPage(services, request, response, manifest, currentValues(store, manifest, request.association->id), stored,
                 {});
  });
  router.post(base + "/{name}/settings", guard, [&services](http::Request& request, http::Response& response) {
    auto manifest = activeManifestOrNotFound(services, request.param("name"));
    plugins::PluginStore store(services.db);
    long long associationId = request.association->id;
    auto stored = store.settings(manifest.name, associationId);
    std::map<std::string, std::string> submitted;
    for (const auto& def : manifest.settings) {
      submitted[def.key] = request.formValue(def.key);
    }
    auto update = plugins::checkSettings(manifest, submitted, stored);
    if (!update.problems.empty()) {
      settingsPage(services, request, response, manifest, submitted, stored, update.problems);
      return;
    }
    store.saveSettings(manifest.name, associationId, update.values);
    response.redirect(associationBase(request) + "/" + manifest.name + "/settings?saved=1");
  });
}

}  // namespace

void registerPluginPages(http::Router& router, app::Services& services) {
  registerFederation(router, services);
  registerAssociation(router, services);
}

}  // namespace ruche::admin
