// discoverPluginFolders (declared in PluginHost.h): shared by the host, the
// `ruche plugin` commands and the admin panel.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "kernel/plugins/PluginHost.h"

namespace ruche::plugins {

std::vector<std::string> discoverPluginFolders(const std::vector<std::string>& dirs) {
  std::vector<std::string> folders;
  for (const auto& dir : dirs) {
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
      continue;
    }
    std::vector<std::string> here;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      std::string name = entry.path().filename().string();
      // Hidden folders are installs or removals in progress (PluginInstaller).
      if (name.empty() || name[0] == '.' || !entry.is_directory(error)) {
        continue;
      }
      if (std::filesystem::is_regular_file(entry.path() / "plugin.json", error)) {
        here.push_back(std::filesystem::absolute(entry.path()).lexically_normal().string());
      }
    }
    std::sort(here.begin(), here.end(), [](const std::string& a, const std::string& b) {
      return std::filesystem::path(a).filename() < std::filesystem::path(b).filename();
    });
    folders.insert(folders.end(), here.begin(), here.end());
  }
  return folders;
}

}  // namespace ruche::plugins
