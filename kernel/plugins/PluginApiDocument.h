#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kernel/plugins/Manifest.h"

namespace ruche::plugins {

/// A plugin's part of /api/v1/openapi.json: the optional `openapi.json` of
/// its folder, `{"paths": {…}, "components": {"schemas": {…}}}` in OpenAPI
/// 3.0 terms. Each path is whole and within the plugin's own API
/// (`/api/v1/associations/{slug}/<name>…` or `/api/v1/plugins/<name>…`),
/// each operation has its responses, each schema is named `<name>.…`, and
/// anything may refer to the kernel's components (`#/components/…`).
/// Returns it as JSON text, its operations that name no tag tagged with the
/// plugin's name; "" when the folder has none. Throws PluginError naming
/// the file and what is wrong (checked when a plugin is installed and when
/// it loads).
std::string readPluginApiDocument(const Manifest& manifest);

/// An API route a plugin declares: its method and its kernel path pattern.
struct PluginApiRoute {
  std::string method;   ///< GET, POST…
  std::string pattern;  ///< /api/v1/…, with {names}
};

/// Of `routes`, those that `apiDocument` (readPluginApiDocument's text, or
/// "" when the plugin ships none) does not describe, as "METHOD /path":
/// logged as a warning when the plugin loads, so that /api/v1/openapi.json
/// does not silently leave a route out. Throws Poco's exception when
/// `apiDocument` is not a JSON object.
std::vector<std::string> undocumentedRoutes(const std::string& apiDocument, const std::vector<PluginApiRoute>& routes);

/// One loaded plugin's part (readPluginApiDocument's text), by plugin name.
using PluginApiPart = std::pair<std::string, std::string>;

/// The kernel's document (JSON text) with each part's paths, schemas and a
/// tag per plugin added. Without parts, the kernel's text unchanged.
std::string withPluginApis(const std::string& kernelDocument, const std::vector<PluginApiPart>& parts);

}  // namespace ruche::plugins
