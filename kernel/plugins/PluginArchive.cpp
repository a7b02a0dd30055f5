#include "kernel/plugins/PluginArchive.h"

#include <Poco/Exception.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

// GNU tar does the unpacking (no archive library is needed for one form),
// but only after its own listing of the archive passed our checks; it then
// runs with options that keep it inside the target folder and owning
// nothing, and the result is checked once more.
namespace ruche::plugins {
namespace fs = std::filesystem;
namespace {

/// What one run of a tool printed and how it ended.
struct ToolRun {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs `tar args…` under `timeout` (SIGKILL: the stop signals this process
/// blocks are blocked in its children too), with the C locale so the listing
/// has one format. Keeps at most `outputLimit` bytes of standard output.
ToolRun runTar(const std::vector<std::string>& args, int timeoutSeconds, std::size_t outputLimit) {
  Poco::Process::Args full = {"--signal=KILL", std::to_string(timeoutSeconds), "tar"};
  full.insert(full.end(), args.begin(), args.end());
  Poco::Process::Env env = {{"LC_ALL", "C"}, {"TZ", "UTC"}};
  Poco::Pipe outPipe;
  Poco::Pipe errPipe;
  ToolRun run;
  try {
    Poco::ProcessHandle handle = Poco::Process::launch("timeout", full, "", nullptr, &outPipe, &errPipe, env);
    // Standard error is drained by its own thread so that neither pipe fills up.
    std::thread errReader([&errPipe, &run] {
      Poco::PipeInputStream err(errPipe);
      std::string line;
      while (std::getline(err, line)) {
        if (run.err.size() < 4096) {
          run.err += (run.err.empty() ? "" : "\n") + line;
        }
      }
    });
    Poco::PipeInputStream out(outPipe);
    char buffer[8192];
    while (out.read(buffer, sizeof buffer) || out.gcount() > 0) {
      if (run.out.size() < outputLimit) {
        run.out.append(buffer, static_cast<std::size_t>(out.gcount()));
      }
    }
    errReader.join();
    run.status = handle.wait();
  } catch (const Poco::Exception& e) {
    throw ArchiveError("could not run tar: " + e.displayText());
  }
  return run;
}

/// tar's complaint, trimmed to its first lines.
std::string tarSays(const ToolRun& run) {
  if (run.status == 124 || run.status == 137) {
    return "tar took too long";
  }
  std::string text = run.err.substr(0, run.err.find("\ntar: Exiting"));
  return text.empty() ? "tar failed (status " + std::to_string(run.status) + ")" : text;
}

/// One line of `tar --list --verbose --numeric-owner` in the C locale:
/// "-rw-r--r-- 1000/1000   1234 2024-05-01 12:00 name".
struct Member {
  char type = '?';
  std::uint64_t size = 0;
  std::string name;
};

Member parseListingLine(const std::string& line) {
  std::istringstream in(line);
  std::string mode;
  std::string owner;
  std::string size;
  std::string day;
  std::string time;
  if (!(in >> mode >> owner >> size >> day >> time) || mode.empty() || in.get() != ' ') {
    throw ArchiveError("tar's listing has an unexpected line: " + line.substr(0, 200));
  }
  Member member;
  member.type = mode.front();
  std::getline(in, member.name);
  if (member.type == '-' || member.type == 'd') {
    try {
      member.size = std::stoull(size);
    } catch (const std::exception&) {
      throw ArchiveError("tar's listing has an unexpected size: " + line.substr(0, 200));
    }
  }
  return member;
}

/// The path elements of a member name, "." and empty ones dropped; throws
/// for an absolute name, "..", or characters tar had to escape.
std::vector<std::string> checkedElements(const std::string& name) {
  if (name.empty() || name.front() == '/') {
    throw ArchiveError("member \"" + name + "\" has an absolute name");
  }
  for (char c : name) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      throw ArchiveError("member \"" + name + "\" has unusual characters in its name");
    }
  }
  std::vector<std::string> elements;
  std::istringstream in(name);
  std::string element;
  while (std::getline(in, element, '/')) {
    if (element == "..") {
      throw ArchiveError("member \"" + name + "\" points outside the archive's folder (\"..\")");
    }
    if (!element.empty() && element != ".") {
      elements.push_back(element);
    }
  }
  return elements;
}

const char* typeName(char type) {
  switch (type) {
    case 'l':
      return "a symbolic link";
    case 'h':
      return "a hard link";
    case 'c':
    case 'b':
      return "a device";
    case 'p':
      return "a named pipe";
    default:
      return "not a plain file or folder";
  }
}

/// Checks the listing; returns the one top folder's name.
std::string checkListing(const std::string& listing, const ArchiveLimits& limits) {
  std::istringstream lines(listing);
  std::string line;
  std::string top;
  std::size_t members = 0;
  std::uint64_t bytes = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) {
      continue;
    }
    if (++members > limits.maxMembers) {
      throw ArchiveError("the archive holds more than " + std::to_string(limits.maxMembers) + " files and folders");
    }
    Member member = parseListingLine(line);
    if (member.type != '-' && member.type != 'd') {
      throw ArchiveError("member \"" + member.name + "\" is " + typeName(member.type) +
                         "; only plain files and folders are accepted");
    }
    auto elements = checkedElements(member.name);
    if (elements.empty()) {
      continue;  // "./" itself
    }
    if (member.type == '-' && elements.size() == 1) {
      throw ArchiveError("member \"" + member.name +
                         "\" is outside any folder; the archive must hold one folder, the plugin's");
    }
    if (top.empty()) {
      top = elements.front();
    } else if (elements.front() != top) {
      throw ArchiveError("the archive holds more than one top folder (\"" + top + "\" and \"" + elements.front() +
                         "\"); it must hold one, the plugin's");
    }
    bytes += member.size;
    if (bytes > limits.maxUnpackedBytes) {
      throw ArchiveError("the archive unpacks to more than " + std::to_string(limits.maxUnpackedBytes) + " bytes");
    }
  }
  if (top.empty()) {
    throw ArchiveError("the archive is empty");
  }
  return top;
}

void emptyFolder(const fs::path& folder) {
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(folder, ignored)) {
    fs::remove_all(entry.path(), ignored);
  }
}

}  // namespace

std::string unpackPluginArchive(const std::string& archive, const std::string& into, const ArchiveLimits& limits) {
  // Enough listing for maxMembers lines of reasonable length; more is refused anyway.
  const std::size_t listingLimit = (limits.maxMembers + 1) * 512;
  ToolRun listing = runTar({"--list", "--verbose", "--numeric-owner", "--gzip", "--file", archive},
                           limits.timeoutSeconds, listingLimit);
  if (listing.status != 0) {
    throw ArchiveError("not a readable .tar.gz archive: " + tarSays(listing));
  }
  std::string top = checkListing(listing.out, limits);

  ToolRun extraction = runTar({"--extract", "--gzip", "--file", archive, "--directory", into, "--no-same-owner",
                               "--no-same-permissions", "--no-overwrite-dir"},
                              limits.timeoutSeconds, 64 * 1024);
  if (extraction.status != 0) {
    emptyFolder(into);
    throw ArchiveError("unpacking failed: " + tarSays(extraction));
  }
  // Once more on what is on disk: only plain files and folders, under `top`.
  fs::path root = fs::path(into) / top;
  for (const auto& entry : fs::recursive_directory_iterator(into)) {
    if (entry.is_symlink() || !(entry.is_regular_file() || entry.is_directory())) {
      emptyFolder(into);
      throw ArchiveError("unpacked \"" + fs::relative(entry.path(), into).string() +
                         "\" is not a plain file or folder");
    }
  }
  if (!fs::is_directory(fs::symlink_status(root))) {
    emptyFolder(into);
    throw ArchiveError("the archive's folder \"" + top + "\" did not unpack");
  }
  return root.string();
}

}  // namespace ruche::plugins
