// `ruche plugin new NAME [--dir DIR]`: a new plugin folder, outside any
// Ruche source tree, that builds against the installed SDK with two commands.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>

#include "kernel/cli/Commands.h"
#include "kernel/cli/PluginScaffold.h"

namespace ruche::cli {
namespace {

/// Writes every file under `folder`, which must not exist yet. On a failure
/// the half-written folder is removed and the error goes on.
void writeScaffold(const std::filesystem::path& folder, const std::vector<ScaffoldFile>& files) {
  std::error_code error;
  if (!std::filesystem::create_directory(folder, error)) {
    throw std::runtime_error("cannot create " + folder.string() +
                             (error ? ": " + error.message() : ": it exists already"));
  }
  try {
    for (const auto& file : files) {
      std::filesystem::path path = folder / file.path;
      std::filesystem::create_directories(path.parent_path());
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << file.text;
      out.close();
      if (!out) {
        throw std::runtime_error("cannot write " + path.string());
      }
    }
  } catch (...) {
    std::filesystem::remove_all(folder, error);
    throw;
  }
}

}  // namespace

int runPluginNew(const CommandLine& line) {
  // Reached as `ruche plugin new NAME` (args "new", NAME) or through a
  // command of its own (args NAME).
  std::size_t first = line.command == "plugin" && !line.args.empty() && line.args[0] == "new" ? 1 : 0;
  if (line.args.size() != first + 1) {
    throw UsageError(line.args.size() <= first ? "say the plugin's name: ruche plugin new NAME [--dir DIR]"
                                               : "one plugin name only");
  }
  const std::string& name = line.args[first];
  if (!validPluginName(name)) {
    std::cerr << "ruche plugin new: \"" << name
              << "\" is not a plugin name: 2 to 31 characters among a-z, 0-9 and _, starting with a letter "
                 "(it is also the URL segment and the table prefix)"
              << std::endl;
    return 1;
  }
  std::filesystem::path parent = line.option("dir").value_or(".");
  std::filesystem::path folder = parent / name;
  std::error_code error;
  if (std::filesystem::exists(folder, error)) {
    std::cerr << "ruche plugin new: " << folder.string() << " exists already; choose another --dir or name"
              << std::endl;
    return 1;
  }
  if (!parent.empty()) {
    std::filesystem::create_directories(parent, error);
    if (error) {
      std::cerr << "ruche plugin new: cannot create " << parent.string() << ": " << error.message() << std::endl;
      return 1;
    }
  }
  auto files = pluginScaffold(name);
  writeScaffold(folder, files);

  std::cout << "created the plugin " << name << " in " << folder.string() << ":\n";
  for (const auto& file : files) {
    std::cout << "  " << file.path << "\n";
  }
  std::cout << "Build it against the Ruche SDK (cmake --install <ruche build> --component sdk --prefix PREFIX):\n"
            << "  cmake -S " << folder.string() << " -B " << (folder / "build").string()
            << " -DCMAKE_PREFIX_PATH=PREFIX\n"
            << "  cmake --build " << (folder / "build").string() << "\n"
            << "then: ruche plugin install " << (folder / "build" / name).string() << std::endl;
  return 0;
}

}  // namespace ruche::cli
