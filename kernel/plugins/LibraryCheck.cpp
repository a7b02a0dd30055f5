#include "kernel/plugins/LibraryCheck.h"

#include <boost/dll/library_info.hpp>

#include <algorithm>
#include <filesystem>

#include "ruche/sdk/Version.h"

namespace ruche::plugins {

std::string kernelAbiTag() {
  return sdk::kAbiTag;
}

SemVer kernelSdkVersion() {
  return SemVer{RUCHE_SDK_VERSION_MAJOR, RUCHE_SDK_VERSION_MINOR, RUCHE_SDK_VERSION_PATCH};
}

void checkLibrary(const Manifest& manifest) {
  const std::string library = manifest.libraryPath();
  if (!manifest.sdk.contains(kernelSdkVersion())) {
    throw PluginError(manifest.name, manifest.folder + "/plugin.json: field \"sdk\": the plugin needs SDK \"" +
                                         manifest.sdk.text() + "\" but this Ruche provides SDK " +
                                         kernelSdkVersion().toString());
  }
  if (!std::filesystem::is_regular_file(library)) {
    throw PluginError(manifest.name, library + ": missing (a plugin folder holds <name>.so beside plugin.json)");
  }
  std::vector<std::string> symbols;
  try {
    boost::dll::library_info info(library);
    symbols = info.symbols();
  } catch (const std::exception& e) {
    throw PluginError(manifest.name, library + ": not a shared library this system can read (" + e.what() + ")");
  }
  const std::string prefix = sdk::kAbiSymbolPrefix;
  auto tagged = std::find_if(symbols.begin(), symbols.end(),
                             [&](const std::string& symbol) { return symbol.rfind(prefix, 0) == 0; });
  if (tagged == symbols.end()) {
    throw PluginError(manifest.name, library + ": no ABI tag (was it built with RUCHE_PLUGIN from the Ruche SDK?)");
  }
  std::string tag = tagged->substr(prefix.size());
  if (tag != kernelAbiTag()) {
    throw PluginError(manifest.name, library + ": ABI tag \"" + tag + "\" does not match this Ruche's \"" +
                                         kernelAbiTag() +
                                         "\" (rebuild the plugin with the same SDK major, compiler and C++ library)");
  }
  if (std::find(symbols.begin(), symbols.end(), std::string(sdk::kFactoryAlias)) == symbols.end()) {
    throw PluginError(manifest.name, library + ": missing factory symbol \"" + std::string(sdk::kFactoryAlias) +
                                         "\" (declare the plugin class with RUCHE_PLUGIN)");
  }
}

}  // namespace ruche::plugins
