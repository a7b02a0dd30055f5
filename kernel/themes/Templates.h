#pragma once

#include <kainjow/mustache.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kernel/themes/Catalog.h"
#include "kernel/themes/ThemeSet.h"

namespace ruche::themes {

using Data = kainjow::mustache::data;

/// How one page is shown: the theme it goes through and whether the
/// easy-to-read (FALC) versions of templates win.
struct Look {
  std::string theme = "default";
  bool easyRead = false;
};

/// The installed themes' templates and assets, and the kernel's texts.
///
/// Templates are parsed once and cached. kainjow's render() is not const (it
/// records errors in the parsed object), so a parsed template must not serve
/// two threads at once: each thread keeps its own parsed copies (a
/// thread_local cache) rather than one copy behind a mutex, because a mutex
/// would queue every page of every worker thread behind one lock, while the
/// copies cost only memory (a few hundred KB per thread). A copy is keyed by
/// its source text, so a reloaded theme replaces it.
///
/// With `devReload` (config `themes.dev_reload`) the themes folder is looked
/// at before each render and reloaded when a file changed (a broken edit is
/// logged and the previous version kept). Texts (locales) load once.
class Templates {
 public:
  /// Loads every theme of `themesDir` (ThemeSet::load) and the texts of
  /// `kernelTheme`. Throws std::runtime_error naming the file and problem.
  Templates(const std::string& themesDir, const std::string& kernelTheme = "default", bool devReload = false);

  /// Renders a kernel template through the kernel's theme.
  std::string render(const std::string& name, Data data, const std::string& locale) const;
  /// Renders a kernel template as `look` sees it; `{{t.key}}` reads the
  /// catalogue of `locale`, `{{#asset}}file.css{{/asset}}` gives the file's
  /// hashed URL in the look's theme.
  std::string render(const Look& look, const std::string& name, Data data, const std::string& locale) const;
  /// Renders a plugin's template as `look` sees it (ThemeSet::pluginPage
  /// order); `data` already holds the plugin's texts. Throws
  /// std::runtime_error when no theme and not the plugin has it.
  std::string renderPlugin(const Look& look, const std::string& plugin, const std::string& name,
                           const std::string* pluginOwn, Data data) const;

  bool has(const std::string& name) const { return current()->hasPage(name); }
  bool hasTheme(const std::string& theme) const { return current()->has(theme); }
  /// The themes as loaded now (reloaded first in development mode).
  std::shared_ptr<const ThemeSet> themes() const { return current(); }
  /// "/assets/<theme>/<name>.<hash>.<ext>"; "" when no theme of the chain has it.
  std::string assetUrl(const std::string& theme, const std::string& name) const {
    return current()->assetUrl(theme, name);
  }
  const Catalog& catalog() const { return catalog_; }
  /// The kernel theme's assets folder (the unhashed /assets/<file> route).
  const std::string& assetsDir() const { return assetsDir_; }
  bool devReload() const { return devReload_; }

 private:
  std::shared_ptr<const ThemeSet> current() const;
  /// Renders `source` with a per-thread parsed copy stored under `key`.
  std::string renderSource(const std::string& key, const std::string& source, Data& data) const;
  std::string signature() const;

  std::string themesDir_;
  std::string kernelTheme_;
  bool devReload_;
  unsigned long id_;  ///< tells this instance's cached copies from another's
  Catalog catalog_;
  std::string assetsDir_;
  mutable std::mutex mutex_;  ///< guards set_ and signature_ (changed only in development mode)
  mutable std::shared_ptr<const ThemeSet> set_;
  mutable std::string signature_;
};

}  // namespace ruche::themes
