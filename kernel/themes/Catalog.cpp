#include "kernel/themes/Catalog.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "kernel/themes/LocalFormat.h"

namespace ruche::themes {
namespace {

std::string replaceCount(std::string text, const std::string& n) {
  auto pos = text.find("{n}");
  if (pos != std::string::npos) {
    text.replace(pos, 3, n);
  }
  return text;
}

bool hasKey(const std::map<std::string, std::map<std::string, std::string>>& messages, const std::string& locale,
            const std::string& key) {
  auto it = messages.find(locale);
  return it != messages.end() && it->second.count(key) != 0;
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
  // ICU's category ("one", "many"…); a catalogue without that form uses "other".
  std::string form = key + "." + pluralCategory(locale, n);
  if (!hasKey(messages_, locale, form) && !hasKey(messages_, "fr", form)) {
    form = key + ".other";
  }
  return replaceCount(text(locale, form), formatNumber(static_cast<double>(n), locale, 0));
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

std::string acceptedLocale(const std::string& acceptLanguage) {
  const auto& supported = Catalog::supportedLocales();
  // "en-GB;q=0.8, fr;q=0.9, *;q=0.1": the supported language of highest q
  // wins; equal q keep the header's order; q=0 means "not this one".
  std::string best;
  double bestQ = 0.0;
  std::istringstream in(acceptLanguage);
  std::string part;
  while (std::getline(in, part, ',')) {
    std::string tag = part.substr(0, part.find(';'));
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    std::string lang = tag.substr(0, tag.find('-'));
    for (auto& c : lang) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    double q = 1.0;
    auto qPos = part.find("q=");
    if (qPos != std::string::npos) {
      try {
        q = std::stod(part.substr(qPos + 2));
      } catch (const std::exception&) {
        q = 0.0;
      }
    }
    if (q > bestQ && std::find(supported.begin(), supported.end(), lang) != supported.end()) {
      best = lang;
      bestQ = q;
    }
  }
  return best;
}

std::string negotiateLocale(const std::string& explicitChoice, const std::string& acceptLanguage) {
  const auto& supported = Catalog::supportedLocales();
  if (std::find(supported.begin(), supported.end(), explicitChoice) != supported.end()) {
    return explicitChoice;
  }
  std::string fromHeader = acceptedLocale(acceptLanguage);
  if (!fromHeader.empty()) {
    return fromHeader;
  }
  return "fr";
}

}  // namespace ruche::themes
