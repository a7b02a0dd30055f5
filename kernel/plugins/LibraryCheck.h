#pragma once

#include <string>

#include "kernel/plugins/Manifest.h"

namespace ruche::plugins {

/// The kernel's own ABI tag ("sdk1_gcc_libstdcxx12"): what a plugin's must equal.
std::string kernelAbiTag();

/// The kernel's SDK version.
SemVer kernelSdkVersion();

/// Checks a plugin before anything of it is loaded: the SDK range of its
/// manifest holds this kernel's SDK version, and its library — read as a
/// file, not loaded — exists, carries this kernel's ABI tag and exports the
/// factory. Throws PluginError naming the plugin, the file and the reason.
void checkLibrary(const Manifest& manifest);

}  // namespace ruche::plugins
