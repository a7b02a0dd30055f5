#include "kernel/plugins/SettingsSchema.h"

#include <algorithm>
#include <charconv>
#include <regex>

#include "kernel/http/Validator.h"

namespace ruche::plugins {
namespace {

const std::regex kEmail(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
const std::regex kUrl(R"(^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?$)");

}  // namespace

std::optional<SettingProblem> checkSettingValue(const SettingDefinition& def, const std::string& value) {
  auto problem = [&](std::string code, std::string message) {
    return std::optional<SettingProblem>(SettingProblem{def.key, std::move(code), std::move(message)});
  };
  if (value.empty()) {
    if (def.required && def.type != "boolean") {
      return problem("required", "This setting is required.");
    }
    return std::nullopt;
  }
  if (def.type == "boolean") {
    if (value != "true" && value != "false") {
      return problem("boolean", "Must be true or false.");
    }
  } else if (def.type == "integer") {
    long long number = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size()) {
      return problem("integer", "Must be a whole number.");
    }
    if (def.min && number < *def.min) {
      return problem("min", "Must be at least " + std::to_string(*def.min) + ".");
    }
    if (def.max && number > *def.max) {
      return problem("max", "Must be at most " + std::to_string(*def.max) + ".");
    }
  } else if (def.type == "choice") {
    if (std::find(def.choices.begin(), def.choices.end(), value) == def.choices.end()) {
      return problem("choice", "Must be one of the offered choices.");
    }
  } else {
    long long length = http::utf8Length(value);
    if (length < 0) {
      return problem("utf8", "Must be valid UTF-8 text.");
    }
    if (length > def.maxLength) {
      return problem("too_long", "Must be at most " + std::to_string(def.maxLength) + " characters.");
    }
    if (def.type == "url" && !std::regex_match(value, kUrl)) {
      return problem("url", "Must be an http:// or https:// address.");
    }
    if (def.type == "email" && !std::regex_match(value, kEmail)) {
      return problem("email", "Must be an e-mail address.");
    }
  }
  return std::nullopt;
}

SettingsUpdate checkSettings(const Manifest& manifest, const std::map<std::string, std::string>& submitted,
                             const std::map<std::string, std::string>& current) {
  SettingsUpdate update;
  for (const auto& def : manifest.settings) {
    auto given = submitted.find(def.key);
    std::string value = given == submitted.end() ? "" : given->second;
    if (def.type == "boolean") {
      value = (value == "true" || value == "on" || value == "1") ? "true" : (value.empty() ? "false" : value);
    }
    if (def.isSecret() && value.empty()) {
      auto stored = current.find(def.key);
      value = stored == current.end() ? "" : stored->second;
    }
    if (auto problem = checkSettingValue(def, value)) {
      update.problems.push_back(*problem);
    }
    update.values[def.key] = value;
  }
  return update;
}

}  // namespace ruche::plugins
