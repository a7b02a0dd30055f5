#pragma once

#include <string>
#include <vector>

/// The files of a new plugin, as `ruche plugin new` writes them.
namespace ruche::cli {

/// One file of a new plugin: its path inside the plugin's folder and its text.
struct ScaffoldFile {
  std::string path;
  std::string text;
};

/// Whether `name` may name a plugin: the manifest's rule ^[a-z][a-z0-9_]{1,30}$.
bool validPluginName(const std::string& name);

/// "my_plugin" → "MyPlugin": the plugin's name as a C++ class name stem.
std::string pluginClassStem(const std::string& name);

/// Every file of a new plugin called `name` (which must be valid): CMake
/// project, manifest, source, a header of pure functions with its doctest
/// test, template, FR/EN messages, a migration and a README. The texts are
/// part of the `ruche` binary, so an installed Ruche needs no source tree.
std::vector<ScaffoldFile> pluginScaffold(const std::string& name);

}  // namespace ruche::cli
