#include "Explain.h"

#include <cmath>

#include "Rules.h"

namespace matching::plugin {
namespace {

using ruche::sdk::Value;

std::string replaced(std::string text, const std::string& field, const std::string& value) {
  std::string token = "{" + field + "}";
  for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size())) {
    text.replace(at, token.size(), value);
  }
  return text;
}

double rounded(double value) {
  return std::round(value * 100.0) / 100.0;
}

int idOf(const std::string& detail) {
  try {
    return detail.empty() ? 0 : std::stoi(detail);
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

Names loadNames(ruche::sdk::Context& context, const std::string& locale) {
  Names names;
  std::string column = locale == "en" ? "name_en" : "name_fr";
  for (const auto& row : context.db().query("SELECT id, " + column + " AS name FROM skills")) {
    names.skills[static_cast<int>(row["id"].asInt())] = row["name"].asString();
  }
  for (const auto& row : context.db().query("SELECT id, " + column + " AS name FROM causes")) {
    names.causes[static_cast<int>(row["id"].asInt())] = row["name"].asString();
  }
  return names;
}

std::string reasonText(ruche::sdk::Context& context, const Reason& reason, const std::string& locale,
                       const Names& names) {
  auto text = [&](const std::string& key) { return context.text("matching.reason." + key, locale); };
  std::string phrase;
  if (reason.key == "availability" && reason.detail.find('-') != std::string::npos) {
    std::string day = reason.detail.substr(0, reason.detail.find('-'));
    std::string part = reason.detail.substr(reason.detail.find('-') + 1);
    phrase = replaced(text("availability_slot"), "day", context.text("matching.day." + day, locale));
    phrase = replaced(phrase, "part", context.text("matching.part." + part, locale));
  } else if (reason.key == "languages") {
    std::string code = rules::languageCode(idOf(reason.detail));
    std::string key = "matching.language." + code;
    std::string name = context.text(key, locale);
    phrase = replaced(text("languages"), "name", name == key ? code : name);
  } else if (reason.key == "causes") {
    auto it = names.causes.find(idOf(reason.detail));
    phrase = replaced(text("causes"), "name", it == names.causes.end() ? "" : it->second);
  } else if (reason.key == "availability") {
    // No schedule: any time suits the mission; no availability given: half.
    phrase = text(reason.total == 0     ? "availability_any"
                  : reason.matched == 0 ? "availability_unknown"
                                        : "availability");
  } else if (reason.key == "feedback") {
    phrase = text(!reason.detail.empty() ? "feedback_rated" : reason.matched == 0 ? "feedback_new" : "feedback");
  } else if (reason.key == "urgency") {
    std::string key = reason.matched > 0 ? "matching.reason.urgency_soon" : "matching.reason.urgency";
    phrase = context.plural(key, reason.total, locale);  // by places left
  } else {
    phrase = text(reason.key);
  }
  phrase = replaced(phrase, "detail", reason.detail);
  phrase = replaced(phrase, "matched", std::to_string(reason.matched));
  return replaced(phrase, "total", std::to_string(reason.total));
}

Value suggestionValue(ruche::sdk::Context& context, const Suggestion& suggestion, const std::string& locale,
                      const Names& names) {
  Value reasons = Value::array();
  for (const auto& reason : suggestion.reasons) {
    reasons.push(Value::object({{"key", reason.key},
                                {"contribution", rounded(reason.contribution)},
                                {"matched", reason.matched},
                                {"total", reason.total},
                                {"detail", reason.detail},
                                {"text", reasonText(context, reason, locale, names)},
                                {"negative", reason.contribution < 0}}));
  }
  return Value::object({{"id", suggestion.id}, {"score", rounded(suggestion.score)}, {"reasons", reasons}});
}

}  // namespace matching::plugin
