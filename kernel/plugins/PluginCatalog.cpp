#include "kernel/plugins/PluginCatalog.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "kernel/plugins/LibraryCheck.h"
#include "kernel/plugins/PluginHost.h"

namespace ruche::plugins {
namespace {

PluginEntry inspectFolder(const std::string& folder) {
  PluginEntry entry;
  entry.folder = folder;
  entry.name = std::filesystem::path(folder).filename().string();
  try {
    entry.manifest = readManifest(folder);
    checkLibrary(*entry.manifest);
  } catch (const PluginError& error) {
    entry.problem = error.what();
  }
  return entry;
}

void addState(PluginEntry& entry, PluginStore& store, const std::optional<PluginState>& state) {
  entry.state = state;
  if (state) {
    entry.associations = store.enabledAssociations(entry.name).size();
  }
}

}  // namespace

std::string PluginEntry::shownState() const {
  if (folder.empty()) {
    return "removed";
  }
  return state ? state->state : "new";
}

std::vector<PluginEntry> listPlugins(const std::vector<std::string>& dirs, PluginStore& store) {
  std::map<std::string, PluginEntry> entries;
  for (const auto& folder : discoverPluginFolders(dirs)) {
    PluginEntry entry = inspectFolder(folder);
    // The first plugins dir wins, as at start-up.
    entries.emplace(entry.name, std::move(entry));
  }
  std::map<std::string, PluginState> states;
  for (auto& state : store.all()) {
    states.emplace(state.name, state);
  }
  for (auto& [name, entry] : entries) {
    auto found = states.find(name);
    addState(entry, store, found == states.end() ? std::nullopt : std::optional<PluginState>(found->second));
  }
  for (const auto& [name, state] : states) {
    if (entries.count(name) == 0) {
      PluginEntry entry;
      entry.name = name;
      addState(entry, store, state);
      entries.emplace(name, std::move(entry));
    }
  }
  std::vector<PluginEntry> list;
  for (auto& [name, entry] : entries) {
    list.push_back(std::move(entry));
  }
  return list;
}

std::optional<PluginEntry> findPlugin(const std::vector<std::string>& dirs, PluginStore& store,
                                      const std::string& name) {
  std::string folder = installedFolder(dirs, name);
  auto state = store.state(name);
  if (folder.empty() && !state) {
    return std::nullopt;
  }
  PluginEntry entry;
  if (!folder.empty()) {
    entry = inspectFolder(folder);
  }
  entry.name = name;
  addState(entry, store, state);
  return entry;
}

std::string installedFolder(const std::vector<std::string>& dirs, const std::string& name) {
  if (name.empty() || name[0] == '.' || name.find('/') != std::string::npos) {
    return "";
  }
  for (const auto& folder : discoverPluginFolders(dirs)) {
    if (std::filesystem::path(folder).filename() == name) {
      return folder;
    }
  }
  return "";
}

void setFederationEnabled(const std::vector<std::string>& dirs, PluginStore& store, const std::string& name,
                          bool enabled) {
  std::string folder = installedFolder(dirs, name);
  auto state = store.state(name);
  if (folder.empty()) {
    throw PluginError(name, state ? "its folder was removed; install it again first"
                                  : "not installed (no such folder in plugins.dirs)");
  }
  if (!state) {
    std::string version;
    try {
      version = readManifest(folder).version.toString();
    } catch (const PluginError&) {
      version = "";  // recorded anyway: an admin may switch off a broken plugin
    }
    store.noteSeen(name, version);
  }
  if (enabled) {
    store.setState(name, "active");
  } else {
    store.setState(name, "disabled", "switched off by a federation admin");
  }
}

}  // namespace ruche::plugins
