#include "kernel/themes/Templates.h"

#include <Poco/Logger.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <unordered_map>

namespace ruche::themes {
namespace {

std::atomic<unsigned long> nextInstance{1};

/// One thread's parsed copy of a template, with the text it was parsed from.
struct Parsed {
  std::string source;
  std::unique_ptr<kainjow::mustache::mustache> mustache;
};

}  // namespace

Templates::Templates(const std::string& themesDir, const std::string& kernelTheme, bool devReload)
    : themesDir_(themesDir), kernelTheme_(kernelTheme), devReload_(devReload), id_(nextInstance++) {
  set_ = ThemeSet::load(themesDir, kernelTheme);
  std::filesystem::path root = std::filesystem::path(themesDir) / kernelTheme;
  catalog_.loadFolder((root / "locales").string());
  assetsDir_ = (root / "assets").string();
  if (devReload_) {
    signature_ = signature();
  }
}

std::string Templates::signature() const {
  // Every file's path, size and modification time: cheap enough for development.
  std::string text;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(themesDir_, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      text += it->path().string() + '\t' + std::to_string(it->file_size(ec)) + '\t' +
              std::to_string(it->last_write_time(ec).time_since_epoch().count()) + '\n';
    }
  }
  return text;
}

std::shared_ptr<const ThemeSet> Templates::current() const {
  if (!devReload_) {
    return set_;  // never replaced outside development mode
  }
  std::lock_guard<std::mutex> lock(mutex_);
  std::string now = signature();
  if (now != signature_) {
    signature_ = now;
    try {
      set_ = ThemeSet::load(themesDir_, kernelTheme_);
      Poco::Logger::get("ruche.themes").information("themes reloaded from %s", themesDir_);
    } catch (const std::exception& e) {
      Poco::Logger::get("ruche.themes")
          .error("themes not reloaded, keeping the previous version: %s", std::string(e.what()));
    }
  }
  return set_;
}

std::string Templates::renderSource(const std::string& key, const std::string& source, Data& data) const {
  thread_local std::unordered_map<std::string, Parsed> cache;
  Parsed& slot = cache[key];
  if (!slot.mustache || slot.source != source) {
    slot.source = source;
    slot.mustache = std::make_unique<kainjow::mustache::mustache>(source);
  }
  std::string html = slot.mustache->render(data);
  if (!slot.mustache->error_message().empty()) {
    std::string message = slot.mustache->error_message();
    slot.mustache.reset();  // its error state would stick
    throw std::runtime_error(message);
  }
  return html;
}

std::string Templates::render(const std::string& name, Data data, const std::string& locale) const {
  return render(Look{kernelTheme_, false}, name, std::move(data), locale);
}

std::string Templates::render(const Look& look, const std::string& name, Data data, const std::string& locale) const {
  std::shared_ptr<const ThemeSet> set = current();
  std::string theme = set->has(look.theme) ? look.theme : kernelTheme_;
  const std::string* source = set->page(theme, name, look.easyRead);
  if (source == nullptr) {
    throw std::runtime_error("no template named \"" + name + "\" in theme \"" + theme + "\"");
  }
  data.set("t", catalog_.asData(locale));
  data.set("asset", kainjow::mustache::lambda{[set, theme](const std::string& file) {
             std::string trimmed = file;
             trimmed.erase(0, trimmed.find_first_not_of(" \n"));
             trimmed.erase(trimmed.find_last_not_of(" \n") + 1);
             return set->assetUrl(theme, trimmed);
           }});
  std::string key = std::to_string(id_) + '\n' + theme + '\n' + (look.easyRead ? "falc/" : "") + name;
  try {
    return renderSource(key, *source, data);
  } catch (const std::exception& e) {
    throw std::runtime_error("template " + name + " (theme " + theme + "): " + e.what());
  }
}

std::string Templates::renderPlugin(const Look& look, const std::string& plugin, const std::string& name,
                                    const std::string* pluginOwn, Data data) const {
  std::shared_ptr<const ThemeSet> set = current();
  std::string theme = set->has(look.theme) ? look.theme : kernelTheme_;
  std::optional<std::string> source = set->pluginPage(theme, plugin, name, pluginOwn);
  if (!source) {
    throw std::runtime_error("plugin \"" + plugin + "\" has no template \"" + name + "\"");
  }
  std::string key = std::to_string(id_) + '\n' + theme + "\nplugin/" + plugin + '/' + name;
  try {
    return renderSource(key, *source, data);
  } catch (const std::exception& e) {
    throw std::runtime_error("template \"" + name + "\" of plugin " + plugin + ": " + e.what());
  }
}

}  // namespace ruche::themes
