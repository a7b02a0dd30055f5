#include "kernel/themes/Templates.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace ruche::themes {
namespace {

std::atomic<unsigned long> nextGeneration{1};

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct ParsedCache {
  unsigned long generation = 0;
  std::unordered_map<std::string, std::unique_ptr<kainjow::mustache::mustache>> parsed;
};

}  // namespace

Templates::Templates(const std::string& themesDir, const std::string& themeName) : generation_(nextGeneration++) {
  std::filesystem::path root = std::filesystem::path(themesDir) / themeName;
  std::filesystem::path folder = root / "templates";
  if (!std::filesystem::is_directory(folder)) {
    throw std::runtime_error("theme \"" + themeName + "\" has no templates folder at " + folder.string());
  }
  if (std::filesystem::is_directory(folder / "partials")) {
    for (const auto& entry : std::filesystem::directory_iterator(folder / "partials")) {
      if (entry.path().extension() == ".mustache") {
        partials_[entry.path().stem().string()] = readFile(entry.path());
      }
    }
  }
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".mustache") {
      continue;
    }
    std::string name = entry.path().stem().string();
    std::string text = expandPartials(readFile(entry.path()), 0);
    kainjow::mustache::mustache check(text);
    if (!check.is_valid()) {
      throw std::runtime_error("template " + entry.path().string() + ": " + check.error_message());
    }
    sources_[name] = std::move(text);
  }
  catalog_.loadFolder((root / "locales").string());
  assetsDir_ = (root / "assets").string();
}

std::string Templates::expandPartials(const std::string& text, int depth) const {
  if (depth > 8) {
    throw std::runtime_error("partials nested deeper than 8 levels (a partial includes itself?)");
  }
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto open = text.find("{{>", pos);
    if (open == std::string::npos) {
      out += text.substr(pos);
      return out;
    }
    auto close = text.find("}}", open);
    if (close == std::string::npos) {
      throw std::runtime_error("unclosed partial tag");
    }
    std::string name = text.substr(open + 3, close - open - 3);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    auto it = partials_.find(name);
    if (it == partials_.end()) {
      throw std::runtime_error("unknown partial \"" + name + "\"");
    }
    out += text.substr(pos, open - pos);
    out += expandPartials(it->second, depth + 1);
    pos = close + 2;
  }
}

std::string Templates::render(const std::string& name, Data data, const std::string& locale) const {
  thread_local ParsedCache cache;
  if (cache.generation != generation_) {
    cache.parsed.clear();
    cache.generation = generation_;
  }
  auto& slot = cache.parsed[name];
  if (!slot) {
    auto source = sources_.find(name);
    if (source == sources_.end()) {
      throw std::runtime_error("no template named \"" + name + "\" in the theme");
    }
    slot = std::make_unique<kainjow::mustache::mustache>(source->second);
  }
  data.set("t", catalog_.asData(locale));
  std::string html = slot->render(data);
  if (!slot->error_message().empty()) {
    std::string message = slot->error_message();
    slot.reset();
    throw std::runtime_error("template " + name + ": " + message);
  }
  return html;
}

}  // namespace ruche::themes
