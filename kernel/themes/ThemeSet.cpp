#include "kernel/themes/ThemeSet.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace ruche::themes {
namespace {

namespace fs = std::filesystem;

std::atomic<unsigned long> nextGeneration{1};

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// The *.mustache files of one folder, by stem (no recursion).
std::map<std::string, std::string> readTemplates(const fs::path& folder) {
  std::map<std::string, std::string> found;
  if (!fs::is_directory(folder)) {
    return found;
  }
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".mustache") {
      found[entry.path().stem().string()] = readFile(entry.path());
    }
  }
  return found;
}

ThemeFolder readFolder(const fs::path& root) {
  ThemeFolder folder;
  std::string manifestFile = (root / "theme.json").string();
  folder.manifest = parseThemeManifest(readFile(manifestFile), manifestFile, root.filename().string());
  fs::path templates = root / "templates";
  folder.pages = readTemplates(templates);
  folder.partials = readTemplates(templates / "partials");
  folder.easyRead = readTemplates(templates / "falc");
  if (fs::is_directory(templates / "plugins")) {
    for (const auto& entry : fs::directory_iterator(templates / "plugins")) {
      if (entry.is_directory()) {
        folder.pluginPages[entry.path().filename().string()] = readTemplates(entry.path());
      }
    }
  }
  if (fs::is_directory(root / "assets")) {
    for (const auto& entry : fs::directory_iterator(root / "assets")) {
      if (!entry.is_regular_file()) {
        continue;
      }
      ThemeAsset asset;
      asset.theme = folder.manifest.name;
      asset.name = entry.path().filename().string();
      asset.content = readFile(entry.path());
      asset.contentType = contentTypeForName(asset.name);
      std::string stem = entry.path().stem().string();
      std::string ext = entry.path().extension().string();
      asset.hashedName = stem + "." + contentHash(asset.content) + ext;
      folder.assets[asset.name] = std::move(asset);
    }
  }
  return folder;
}

}  // namespace

std::string contentHash(const std::string& bytes) {
  Poco::SHA1Engine sha1;
  sha1.update(bytes);
  return Poco::DigestEngine::digestToHex(sha1.digest()).substr(0, 12);
}

std::string contentTypeForName(const std::string& name) {
  static const std::vector<std::pair<std::string, std::string>> types = {{".css", "text/css; charset=utf-8"},
                                                                         {".svg", "image/svg+xml"},
                                                                         {".png", "image/png"},
                                                                         {".jpg", "image/jpeg"},
                                                                         {".jpeg", "image/jpeg"},
                                                                         {".webp", "image/webp"},
                                                                         {".ico", "image/x-icon"},
                                                                         {".woff2", "font/woff2"},
                                                                         {".txt", "text/plain; charset=utf-8"}};
  for (const auto& [ext, type] : types) {
    if (name.size() >= ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      return type;
    }
  }
  return "application/octet-stream";
}

std::shared_ptr<const ThemeSet> ThemeSet::load(const std::string& themesDir, const std::string& kernelTheme) {
  std::shared_ptr<ThemeSet> set(new ThemeSet());
  set->kernelTheme_ = kernelTheme;
  set->generation_ = nextGeneration++;
  if (!fs::is_directory(themesDir)) {
    throw std::runtime_error("themes folder " + themesDir + " does not exist");
  }
  std::vector<fs::path> roots;
  for (const auto& entry : fs::directory_iterator(themesDir)) {
    if (entry.is_directory() && fs::exists(entry.path() / "theme.json")) {
      roots.push_back(entry.path());
    }
  }
  std::sort(roots.begin(), roots.end());
  for (const auto& root : roots) {
    ThemeFolder folder = readFolder(root);
    std::string name = folder.manifest.name;
    set->folders_.emplace(name, std::move(folder));
  }
  if (set->folders_.count(kernelTheme) == 0) {
    throw std::runtime_error("theme \"" + kernelTheme + "\" (the kernel's templates) is missing from " + themesDir);
  }
  if (set->folders_.at(kernelTheme).manifest.parent) {
    throw std::runtime_error(themesDir + "/" + kernelTheme + "/theme.json: the kernel's theme cannot have a parent");
  }
  // Chains: walk up the parents, refusing a missing parent or a cycle.
  for (const auto& [name, folder] : set->folders_) {
    std::vector<std::string> chain{name};
    std::string current = name;
    while (set->folders_.at(current).manifest.parent) {
      std::string parent = *set->folders_.at(current).manifest.parent;
      if (set->folders_.count(parent) == 0) {
        throw std::runtime_error(themesDir + "/" + current + "/theme.json: parent theme \"" + parent +
                                 "\" is not installed");
      }
      if (std::find(chain.begin(), chain.end(), parent) != chain.end()) {
        std::string path;
        for (const auto& link : chain) {
          path += link + " → ";
        }
        throw std::runtime_error("themes " + path + parent + ": the parents form a cycle");
      }
      chain.push_back(parent);
      current = parent;
    }
    if (chain.back() != kernelTheme) {
      chain.push_back(kernelTheme);
    }
    set->chains_[name] = std::move(chain);
  }
  set->resolve();
  return set;
}

const std::vector<std::string>& ThemeSet::chain(const std::string& theme) const {
  auto it = chains_.find(theme);
  return it != chains_.end() ? it->second : chains_.at(kernelTheme_);
}

std::string ThemeSet::expand(const std::string& theme, const std::string& text, int depth) const {
  if (depth > 8) {
    throw std::runtime_error("partials nested deeper than 8 levels (a partial includes itself?)");
  }
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto open = text.find("{{>", pos);
    if (open == std::string::npos) {
      out += text.substr(pos);
      return out;
    }
    auto close = text.find("}}", open);
    if (close == std::string::npos) {
      throw std::runtime_error("unclosed partial tag");
    }
    std::string name = text.substr(open + 3, close - open - 3);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    const std::string* partial = nullptr;
    for (const auto& link : chain(theme)) {
      const auto& partials = folders_.at(link).partials;
      if (auto it = partials.find(name); it != partials.end()) {
        partial = &it->second;
        break;
      }
    }
    if (partial == nullptr) {
      throw std::runtime_error("unknown partial \"" + name + "\"");
    }
    out += text.substr(pos, open - pos);
    out += expand(theme, *partial, depth + 1);
    pos = close + 2;
  }
}

void ThemeSet::resolve() {
  // A plugin template override that does not parse is refused at load.
  for (const auto& [name, folder] : folders_) {
    for (const auto& [plugin, pages] : folder.pluginPages) {
      for (const auto& [page, text] : pages) {
        kainjow::mustache::mustache check(text);
        if (!check.is_valid()) {
          throw std::runtime_error("template themes/" + name + "/templates/plugins/" + plugin + "/" + page +
                                   ".mustache: " + check.error_message());
        }
      }
    }
  }
  for (const auto& [theme, chain] : chains_) {
    auto& resolved = resolved_[theme];
    // Nearest first: the first theme of the chain that has a file wins.
    for (const auto& link : chain) {
      const ThemeFolder& folder = folders_.at(link);
      for (const auto& [prefix, sources] :
           {std::pair<std::string, const std::map<std::string, std::string>*>{"", &folder.pages},
            {"falc/", &folder.easyRead}}) {
        for (const auto& [name, text] : *sources) {
          std::string key = prefix + name;
          if (resolved.count(key) != 0) {
            continue;
          }
          std::string file = "themes/" + link + "/templates/" + key + ".mustache";
          std::string expanded;
          try {
            expanded = expand(theme, text, 0);
          } catch (const std::exception& e) {
            throw std::runtime_error("template " + file + ": " + e.what());
          }
          kainjow::mustache::mustache check(expanded);
          if (!check.is_valid()) {
            throw std::runtime_error("template " + file + ": " + check.error_message());
          }
          resolved.emplace(key, std::move(expanded));
        }
      }
    }
  }
}

std::vector<ThemeManifest> ThemeSet::manifests() const {
  std::vector<ThemeManifest> list;
  for (const auto& [name, folder] : folders_) {
    list.push_back(folder.manifest);
  }
  return list;
}

const std::string* ThemeSet::page(const std::string& theme, const std::string& name, bool easyRead) const {
  auto themeIt = resolved_.find(has(theme) ? theme : kernelTheme_);
  const auto& resolved = themeIt->second;
  if (easyRead) {
    if (auto it = resolved.find("falc/" + name); it != resolved.end()) {
      return &it->second;
    }
  }
  auto it = resolved.find(name);
  return it != resolved.end() ? &it->second : nullptr;
}

bool ThemeSet::hasPage(const std::string& name) const {
  return page(kernelTheme_, name, false) != nullptr;
}

std::optional<std::string> ThemeSet::pluginPage(const std::string& theme, const std::string& plugin,
                                                const std::string& name, const std::string* pluginOwn) const {
  std::string chosen = has(theme) ? theme : kernelTheme_;
  for (const auto& link : chain(chosen)) {
    const auto& overrides = folders_.at(link).pluginPages;
    if (auto byPlugin = overrides.find(plugin); byPlugin != overrides.end()) {
      if (auto it = byPlugin->second.find(name); it != byPlugin->second.end()) {
        return expand(chosen, it->second, 0);
      }
    }
  }
  if (pluginOwn != nullptr) {
    return expand(chosen, *pluginOwn, 0);
  }
  if (const std::string* kernel = page(chosen, name, false)) {
    return *kernel;
  }
  return std::nullopt;
}

const ThemeAsset* ThemeSet::asset(const std::string& theme, const std::string& name) const {
  for (const auto& link : chain(theme)) {
    const auto& assets = folders_.at(link).assets;
    if (auto it = assets.find(name); it != assets.end()) {
      return &it->second;
    }
  }
  return nullptr;
}

const ThemeAsset* ThemeSet::hashedAsset(const std::string& theme, const std::string& hashedName) const {
  // "<stem>.<hash><ext>": the hash is the last dotted part before the extension.
  auto extDot = hashedName.rfind('.');
  if (extDot == std::string::npos || extDot == 0) {
    return nullptr;
  }
  auto hashDot = hashedName.rfind('.', extDot - 1);
  if (hashDot == std::string::npos) {
    return nullptr;
  }
  std::string plain = hashedName.substr(0, hashDot) + hashedName.substr(extDot);
  const ThemeAsset* found = asset(theme, plain);
  return found != nullptr && found->hashedName == hashedName ? found : nullptr;
}

std::string ThemeSet::assetUrl(const std::string& theme, const std::string& name) const {
  const ThemeAsset* found = asset(theme, name);
  if (found == nullptr) {
    return "";
  }
  return "/assets/" + (has(theme) ? theme : kernelTheme_) + "/" + found->hashedName;
}

}  // namespace ruche::themes
