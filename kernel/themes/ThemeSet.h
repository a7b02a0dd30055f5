#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernel/themes/ThemeManifest.h"

namespace ruche::themes {

/// One file of a theme's `assets/` folder, with the content hash its URL carries.
struct ThemeAsset {
  std::string theme;        ///< the theme whose folder holds the file (may be a parent)
  std::string name;         ///< e.g. "ruche.css"
  std::string hashedName;   ///< e.g. "ruche.3f9a1c0b2d4e.css": the URL's last segment
  std::string contentType;  ///< from the extension
  std::string content;
};

/// What one theme folder holds, read at load.
struct ThemeFolder {
  ThemeManifest manifest;
  std::map<std::string, std::string> pages;                               ///< templates/*.mustache
  std::map<std::string, std::string> partials;                            ///< templates/partials/*.mustache
  std::map<std::string, std::string> easyRead;                            ///< templates/falc/*.mustache
  std::map<std::string, std::map<std::string, std::string>> pluginPages;  ///< templates/plugins/<plugin>/*.mustache
  std::map<std::string, ThemeAsset> assets;                               ///< assets/*, by file name
};

/// Every theme of a themes folder, checked together and resolved once.
///
/// The nearest file wins: a template, partial or asset is looked up in the
/// theme, then its parent, and so on, then in the kernel's theme (`default`,
/// the root every chain ends with). Partials are expanded when loading, per
/// theme, so a child theme that overrides one partial changes every page of
/// its parents that uses it, without copying them. Immutable once loaded:
/// shared between threads without locks.
class ThemeSet {
 public:
  /// Loads every folder of `themesDir` that holds a theme.json. Throws
  /// std::runtime_error naming the file and problem: a manifest refused by
  /// parseThemeManifest, a parent that is not installed, parents forming a
  /// cycle, a template that does not parse, an unknown partial, or no
  /// `kernelTheme` (it holds the kernel's own templates).
  static std::shared_ptr<const ThemeSet> load(const std::string& themesDir, const std::string& kernelTheme = "default");

  bool has(const std::string& theme) const { return folders_.count(theme) != 0; }
  /// Installed themes' manifests, by name.
  std::vector<ThemeManifest> manifests() const;
  /// `theme`, its parent, its parent's parent…, then the kernel's theme.
  /// An unknown theme gives the kernel's chain.
  const std::vector<std::string>& chain(const std::string& theme) const;

  /// A kernel template with partials expanded, as `theme` sees it; with
  /// `easyRead`, its FALC version (templates/falc/) wins where one exists in
  /// the chain. Null when no theme of the chain has it.
  const std::string* page(const std::string& theme, const std::string& name, bool easyRead) const;
  /// The source of a plugin's template as `theme` sees it: the chain's
  /// overrides (templates/plugins/<plugin>/<name>.mustache), then
  /// `pluginOwn` (the plugin's default), then the kernel's template of that
  /// name. Partials expanded. Null when none has it.
  std::optional<std::string> pluginPage(const std::string& theme, const std::string& plugin, const std::string& name,
                                        const std::string* pluginOwn) const;
  /// An asset by plain name (`ruche.css`) through the chain; null when none.
  const ThemeAsset* asset(const std::string& theme, const std::string& name) const;
  /// An asset by its hashed URL name (`ruche.<hash>.css`) as `theme` sees it;
  /// null when unknown or the hash is not the current one.
  const ThemeAsset* hashedAsset(const std::string& theme, const std::string& hashedName) const;
  /// "/assets/<theme>/<hashed name>", or "" when no theme of the chain has it.
  std::string assetUrl(const std::string& theme, const std::string& name) const;
  /// Whether any theme of the chain has that kernel template.
  bool hasPage(const std::string& name) const;

  const std::string& kernelTheme() const { return kernelTheme_; }
  /// A number no other loaded set shares: parsed copies of an older set are stale.
  unsigned long generation() const { return generation_; }

 private:
  ThemeSet() = default;
  void resolve();
  std::string expand(const std::string& theme, const std::string& text, int depth) const;

  std::string kernelTheme_;
  unsigned long generation_ = 0;
  std::map<std::string, ThemeFolder> folders_;
  std::map<std::string, std::vector<std::string>> chains_;
  /// theme → "name" / "falc/name" → expanded source.
  std::map<std::string, std::map<std::string, std::string>> resolved_;
};

/// A short content hash (hex) for asset URLs: changes when the bytes change.
std::string contentHash(const std::string& bytes);

/// The Content-Type of a file by its extension (css, svg, png, jpg, webp, woff2…).
std::string contentTypeForName(const std::string& name);

}  // namespace ruche::themes
