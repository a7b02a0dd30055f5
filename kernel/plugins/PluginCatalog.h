#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/plugins/Manifest.h"
#include "kernel/plugins/PluginStore.h"

namespace ruche::plugins {

/// One plugin as a federation admin sees it, whether or not a server loaded
/// it: its folder, manifest and check result, and its row in the database.
struct PluginEntry {
  std::string name;
  std::string folder;                ///< "" when only the database knows the plugin
  std::optional<Manifest> manifest;  ///< absent when plugin.json was refused or the folder is gone
  std::string problem;               ///< "" when the manifest and the library pass; else why not
  std::optional<PluginState> state;  ///< absent before a server or an install recorded it
  std::size_t associations = 0;      ///< associations where it is enabled

  /// The state to show: the database's, "removed" when the folder is gone,
  /// "new" when the folder is there but nothing recorded it yet.
  std::string shownState() const;
};

/// Every plugin of the plugins folders and of the database, sorted by name.
/// Reads every manifest and checks every library (as files, loading
/// nothing): for the `ruche plugin list` command and the admin panel.
std::vector<PluginEntry> listPlugins(const std::vector<std::string>& dirs, PluginStore& store);

/// The same for one plugin; nullopt when neither a folder nor the database knows it.
std::optional<PluginEntry> findPlugin(const std::vector<std::string>& dirs, PluginStore& store,
                                      const std::string& name);

/// The folder of the installed plugin `name` (a folder of that name holding a
/// plugin.json, first plugins dir first), or "".
std::string installedFolder(const std::vector<std::string>& dirs, const std::string& name);

/// Switches a plugin on or off for the whole federation. Switching on also
/// clears "failing" and "crashed". A plugin with a folder but no row yet is
/// recorded first. Throws PluginError when the plugin is unknown or removed.
void setFederationEnabled(const std::vector<std::string>& dirs, PluginStore& store, const std::string& name,
                          bool enabled);

}  // namespace ruche::plugins
