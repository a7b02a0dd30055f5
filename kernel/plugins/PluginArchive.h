#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace ruche::plugins {

/// An uploaded plugin archive refused before anything was unpacked or
/// installed; the message names the member and why.
class ArchiveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What an uploaded plugin archive may hold, so a hostile one costs little.
struct ArchiveLimits {
  std::size_t maxMembers = 2000;                          ///< files and folders
  std::uint64_t maxUnpackedBytes = 512ull * 1024 * 1024;  ///< sum of the files' sizes
  int timeoutSeconds = 60;                                ///< each run of tar (listing, extracting)
};

/// Unpacks the gzip-compressed tar `archive` into `into` (an empty folder)
/// with GNU tar, after listing it and checking every member: only plain files
/// and folders (no links, devices, fifos), no absolute name, no "..", all
/// under one top folder, within `limits`. Returns the path of that top folder
/// (the plugin's folder: plugin.json, NAME.so, migrations/…). Throws
/// ArchiveError; a refused archive leaves `into` empty.
std::string unpackPluginArchive(const std::string& archive, const std::string& into, const ArchiveLimits& limits = {});

}  // namespace ruche::plugins
