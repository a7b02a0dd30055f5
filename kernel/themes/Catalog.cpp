#include "kernel/themes/Catalog.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ruche::themes {
namespace {

std::string replaceCount(std::string text, long long n) {
  auto pos = text.find("{n}");
  if (pos != std::string::npos) {
    text.replace(pos, 3, std::to_string(n));
  }
  return text;
}

// Dotted keys ("nav.home") become nested objects so {{t.nav.home}} works.
void setNested(kainjow::mustache::data& root, const std::string& key, const std::string& value) {
  auto dot = key.find('.');
  if (dot == std::string::npos) {
    root.set(key, value);
    return;
  }
  std::string head = key.substr(0, dot);
  const kainjow::mustache::data* existing = root.get(head);
  kainjow::mustache::data child = existing != nullptr && existing->is_object() ? *existing : kainjow::mustache::data();
  setNested(child, key.substr(dot + 1), value);
  root.set(head, child);
}

}  // namespace

const std::vector<std::string>& Catalog::supportedLocales() {
  static const std::vector<std::string> locales = {"fr", "en"};
  return locales;
}

void Catalog::loadFolder(const std::string& folder) {
  // Texts may be split by area: "<area>.<lang>.json" (or plain "<lang>.json").
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(folder)) {
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      if (entry.path().extension() == ".json") {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::string stem = file.stem().string();
    auto dot = stem.rfind('.');
    std::string locale = dot == std::string::npos ? stem : stem.substr(dot + 1);
    const auto& supported = supportedLocales();
    if (std::find(supported.begin(), supported.end(), locale) == supported.end()) {
      throw std::runtime_error(file.string() + ": unknown language \"" + locale + "\" (expected fr or en)");
    }
    std::ifstream in(file);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Poco::JSON::Object::Ptr object;
    try {
      object = Poco::JSON::Parser().parse(buffer.str()).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception& e) {
      throw std::runtime_error(file.string() + ": not a JSON object of texts: " + e.what());
    }
    auto& target = messages_[locale];
    for (const auto& [key, value] : *object) {
      if (!value.isString()) {
        throw std::runtime_error(file.string() + ": the value of \"" + key + "\" must be a string");
      }
      if (!target.emplace(key, value.extract<std::string>()).second) {
        throw std::runtime_error(file.string() + ": \"" + key + "\" is defined twice for " + locale);
      }
    }
  }
  data_.clear();
  for (const auto& [locale, texts] : messages_) {
    kainjow::mustache::data object{kainjow::mustache::data::type::object};
    for (const auto& [key, value] : texts) {
      setNested(object, key, value);
    }
    data_[locale] = std::move(object);
  }
}

std::string Catalog::text(const std::string& locale, const std::string& key) const {
  for (const std::string& lang : {locale, std::string("fr")}) {
    auto it = messages_.find(lang);
    if (it != messages_.end()) {
      auto found = it->second.find(key);
      if (found != it->second.end()) {
        return found->second;
      }
    }
  }
  return key;
}

std::string Catalog::plural(const std::string& locale, const std::string& key, long long n) const {
  bool one = locale == "fr" ? (n == 0 || n == 1) : n == 1;
  return replaceCount(text(locale, key + (one ? ".one" : ".other")), n);
}

const kainjow::mustache::data& Catalog::asData(const std::string& locale) const {
  auto it = data_.find(locale);
  if (it == data_.end()) {
    it = data_.find("fr");
  }
  if (it == data_.end()) {
    static const kainjow::mustache::data empty{kainjow::mustache::data::type::object};
    return empty;
  }
  return it->second;
}

std::vector<std::string> Catalog::missingKeys(const std::string& locale, const std::string& reference) const {
  std::vector<std::string> missing;
  auto ref = messages_.find(reference);
  if (ref == messages_.end()) {
    return missing;
  }
  auto target = messages_.find(locale);
  for (const auto& [key, value] : ref->second) {
    if (target == messages_.end() || target->second.count(key) == 0) {
      missing.push_back(key);
    }
  }
  return missing;
}

std::string negotiateLocale(const std::string& explicitChoice, const std::string& acceptLanguage) {
  const auto& supported = Catalog::supportedLocales();
  if (std::find(supported.begin(), supported.end(), explicitChoice) != supported.end()) {
    return explicitChoice;
  }
  // Accept-Language: take the first listed language we support (q-values are
  // rarely out of order in practice).
  std::istringstream in(acceptLanguage);
  std::string part;
  while (std::getline(in, part, ',')) {
    auto begin = part.find_first_not_of(' ');
    if (begin == std::string::npos) {
      continue;
    }
    std::string lang = part.substr(begin, 2);
    for (auto& c : lang) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (std::find(supported.begin(), supported.end(), lang) != supported.end()) {
      return lang;
    }
  }
  return "fr";
}

}  // namespace ruche::themes
