// The volunteer's own space: /me, profile form, data export, account
// deletion and personal API tokens.

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <charconv>

#include "kernel/domain/PersonalData.h"
#include "kernel/domain/Profiles.h"
#include "kernel/domain/Taxonomy.h"
#include "kernel/http/HttpError.h"
#include "kernel/http/TimeZones.h"
#include "kernel/http/Validator.h"
#include "kernel/plugins/PluginHost.h"
#include "kernel/themes/LocalFormat.h"
#include "kernel/web/Registrations.h"
#include "kernel/web/SignInCookie.h"

namespace ruche::web {
namespace {

using themes::Data;

// Rows read from a posted form; more than the limits so a too long list is
// reported rather than silently cut.
constexpr std::size_t kMaxRowsRead = 32;
constexpr std::size_t kLanguageRowsShown = 3;
constexpr std::size_t kSlotRowsShown = 7;

const std::vector<std::string> kTimeZones = {
    "Europe/Paris", "Europe/Brussels", "Europe/Zurich",      "Europe/Luxembourg",  "America/Montreal",
    "Africa/Dakar", "Indian/Reunion",  "America/Guadeloupe", "America/Martinique", "Pacific/Noumea",
    "UTC"};
const std::vector<std::string> kLanguages = {"fr", "en", "es", "de", "it", "pt", "ar", "nl", "ro",
                                             "pl", "tr", "uk", "ru", "zh", "wo", "br", "oc", "eu"};
const std::vector<std::string> kLevels = {"basic", "conversational", "fluent", "native"};

Data boolData(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  if (pos != std::string::npos) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// A catalogue text, or `fallback` when the key is missing.
std::string textOr(const app::Services& services, const http::Request& request, const std::string& key,
                   const std::string& fallback) {
  std::string text = services.pages.text(request, key);
  return text == key ? fallback : text;
}

// "languages_1_level" → base "languages_level", row 1; plain fields → row -1.
std::pair<std::string, int> splitRowField(const std::string& field) {
  auto first = field.find('_');
  auto second = first == std::string::npos ? std::string::npos : field.find('_', first + 1);
  if (second != std::string::npos &&
      (field.compare(0, first, "languages") == 0 || field.compare(0, first, "availability") == 0)) {
    int row = 0;
    auto [end, ec] = std::from_chars(field.data() + first + 1, field.data() + second, row);
    if (ec == std::errc() && end == field.data() + second) {
      return {field.substr(0, first) + field.substr(second), row};
    }
  }
  return {field, -1};
}

// Field errors as the page shows them: each message in the visitor's
// language next to its field, and in the summary prefixed by the field's
// label ("Niveau, langue 2 : …") so repeated rows stay tellable apart.
Data errorsData(const app::Services& services, const http::Request& request,
                const std::vector<http::FieldError>& errors) {
  Data result{Data::type::object};
  Data list{Data::type::list};
  for (const auto& error : errors) {
    std::string message = textOr(services, request, "profile.validation." + error.code,
                                 textOr(services, request, "validation." + error.code, error.message));
    auto [base, row] = splitRowField(error.field);
    std::string label = textOr(services, request, "profile.field." + base, error.field);
    if (row >= 0) {
      label = replaced(label, "{n}", std::to_string(row + 1));
    }
    result.set(error.field, message);
    Data item{Data::type::object};
    item.set("field", error.field);
    item.set("message", replaced(replaced(services.pages.text(request, "profile.summary_item"), "{label}", label),
                                 "{message}", message));
    list.push_back(item);
  }
  result.set("list", list);
  result.set("any", boolData(!errors.empty()));
  return result;
}

// Sets `key` to the field's message only when it has one: an empty string
// would still open a Mustache section.
void setError(Data& item, const std::string& key, const Data& errors, const std::string& field) {
  const Data* message = errors.get(field);
  if (message != nullptr && message->is_string()) {
    item.set(key, message->string_value());
  }
}

// Options of a <select>: a blank first entry when `blankLabel` is given, and
// the current value kept even when it is not among the usual choices.
Data options(const std::vector<std::pair<std::string, std::string>>& choices, const std::string& current,
             const std::string* blankLabel) {
  Data list{Data::type::list};
  auto add = [&](const std::string& value, const std::string& label) {
    Data option{Data::type::object};
    option.set("value", value);
    option.set("label", label);
    option.set("selected", boolData(value == current));
    list.push_back(option);
  };
  if (blankLabel != nullptr) {
    add("", *blankLabel);
  }
  bool found = current.empty();
  for (const auto& [value, label] : choices) {
    add(value, label);
    found = found || value == current;
  }
  if (!found) {
    add(current, current);
  }
  return list;
}

domain::ProfileInput inputFrom(const http::Request& request) {
  domain::ProfileInput in;
  in.displayName = request.formValue("display_name");
  in.bio = request.formValue("bio");
  in.place = request.formValue("place");
  in.remoteOnly = !request.formValue("remote_only").empty();
  in.hoursPerWeek = request.formValue("hours_per_week");
  in.timezone = request.formValue("timezone");
  in.locale = request.formValue("locale");
  in.skills = request.formValues("skills");
  in.causes = request.formValues("causes");
  for (std::size_t i = 0; i < kMaxRowsRead; ++i) {
    in.languages.push_back({request.formValue(domain::Profiles::rowField("languages", i, "code")),
                            request.formValue(domain::Profiles::rowField("languages", i, "level"))});
    in.availability.push_back({request.formValue(domain::Profiles::rowField("availability", i, "weekday")),
                               request.formValue(domain::Profiles::rowField("availability", i, "start")),
                               request.formValue(domain::Profiles::rowField("availability", i, "end"))});
  }
  return in;
}

// How many rows a repeated group shows: at least `shown`, one empty row
// after the last filled one up to `limit`, and never fewer than are filled.
template <typename Row, typename IsBlank>
std::size_t rowsToShow(const std::vector<Row>& rows, std::size_t shown, std::size_t limit, IsBlank isBlank) {
  std::size_t filled = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!isBlank(rows[i])) {
      filled = i + 1;
    }
  }
  return std::max({shown, std::min(filled + 1, limit), filled});
}

Data termsData(const std::vector<domain::Term>& terms, const std::vector<std::string>& chosen,
               const std::string& group) {
  Data list{Data::type::list};
  for (const auto& term : terms) {
    Data item{Data::type::object};
    item.set("slug", term.slug);
    item.set("name", term.name);
    item.set("id", group + "_" + term.slug);
    item.set("checked", boolData(std::find(chosen.begin(), chosen.end(), term.slug) != chosen.end()));
    list.push_back(item);
  }
  return list;
}

void profilePage(app::Services& services, http::Request& request, http::Response& response,
                 const domain::ProfileInput& in, const std::vector<http::FieldError>& errors) {
  std::vector<domain::Term> skills;
  std::vector<domain::Term> causes;
  {
    storage::Database::Session session(services.db);
    skills = domain::listSkills(*session, request.locale);
    causes = domain::listCauses(*session, request.locale);
  }
  auto t = [&](const std::string& key) { return services.pages.text(request, key); };
  Data data{Data::type::object};
  Data values{Data::type::object};
  values.set("display_name", in.displayName);
  values.set("bio", in.bio);
  values.set("place", in.place);
  values.set("hours_per_week", in.hoursPerWeek);
  values.set("remote_only", boolData(in.remoteOnly));
  data.set("values", values);
  Data errorTexts = errorsData(services, request, errors);
  data.set("errors", errorTexts);
  data.set("saved", boolData(errors.empty() && request.queryValue("saved") == "1"));
  Data pluginFields{Data::type::list};
  if (services.plugins != nullptr) {
    for (const auto& field : services.plugins->profileFields(request.visitor.accountId, request.locale)) {
      // After a refused submission, show what was typed, not what is stored.
      std::string value = request.method == "POST" ? request.formValue(field.formName) : field.value;
      Data item{Data::type::object};
      item.set("name", field.formName);
      item.set("label", field.label);
      item.set("value", value);
      item.set("boolean", boolData(field.boolean));
      item.set("checked", boolData(!value.empty()));
      item.set("max", std::to_string(field.maxLength));
      if (const Data* message = errorTexts.get(field.formName)) {
        item.set("error", *message);
      }
      pluginFields.push_back(item);
    }
  }
  data.set("has_plugin_fields", boolData(!pluginFields.is_empty_list()));
  data.set("plugin_fields", pluginFields);

  std::vector<std::pair<std::string, std::string>> zones;
  // The common zones first, then every other zone ICU knows.
  for (const auto& zone : kTimeZones) {
    zones.emplace_back(zone, zone);
  }
  for (const auto& zone : http::knownTimeZones()) {
    if (std::find(kTimeZones.begin(), kTimeZones.end(), zone) == kTimeZones.end()) {
      zones.emplace_back(zone, zone);
    }
  }
  data.set("timezones", options(zones, in.timezone, nullptr));
  data.set("locales", options({{"fr", "Français"}, {"en", "English"}}, in.locale, nullptr));
  data.set("skills", termsData(skills, in.skills, "skills"));
  data.set("causes", termsData(causes, in.causes, "causes"));

  std::string none = t("profile.edit.none");
  std::vector<std::pair<std::string, std::string>> languageChoices;
  for (const auto& code : kLanguages) {
    languageChoices.emplace_back(code, t("profile.lang." + code));
  }
  std::vector<std::pair<std::string, std::string>> levelChoices;
  for (const auto& level : kLevels) {
    levelChoices.emplace_back(level, t("profile.level." + level));
  }
  Data languageRows{Data::type::list};
  std::size_t languageCount =
      rowsToShow(in.languages, kLanguageRowsShown, domain::Profiles::kMaxLanguages,
                 [](const domain::LanguageInput& r) { return r.code.empty() && r.level.empty(); });
  for (std::size_t i = 0; i < languageCount; ++i) {
    domain::LanguageInput row = i < in.languages.size() ? in.languages[i] : domain::LanguageInput{};
    Data item{Data::type::object};
    std::string codeId = domain::Profiles::rowField("languages", i, "code");
    std::string levelId = domain::Profiles::rowField("languages", i, "level");
    item.set("number", std::to_string(i + 1));
    item.set("code_id", codeId);
    item.set("level_id", levelId);
    item.set("codes", options(languageChoices, row.code, &none));
    item.set("levels", options(levelChoices, row.level, &none));
    setError(item, "code_error", errorTexts, codeId);
    setError(item, "level_error", errorTexts, levelId);
    languageRows.push_back(item);
  }
  data.set("language_rows", languageRows);

  std::vector<std::pair<std::string, std::string>> weekdays;
  for (int d = 0; d < 7; ++d) {
    weekdays.emplace_back(std::to_string(d), t("profile.weekday." + std::to_string(d)));
  }
  Data slotRows{Data::type::list};
  std::size_t slotCount =
      rowsToShow(in.availability, kSlotRowsShown, domain::Profiles::kMaxSlots,
                 [](const domain::SlotInput& r) { return r.weekday.empty() && r.start.empty() && r.end.empty(); });
  for (std::size_t i = 0; i < slotCount; ++i) {
    domain::SlotInput row = i < in.availability.size() ? in.availability[i] : domain::SlotInput{};
    Data item{Data::type::object};
    std::string dayId = domain::Profiles::rowField("availability", i, "weekday");
    std::string startId = domain::Profiles::rowField("availability", i, "start");
    std::string endId = domain::Profiles::rowField("availability", i, "end");
    item.set("number", std::to_string(i + 1));
    item.set("weekday_id", dayId);
    item.set("start_id", startId);
    item.set("end_id", endId);
    item.set("weekdays", options(weekdays, row.weekday, &none));
    item.set("start", row.start);
    item.set("end", row.end);
    setError(item, "weekday_error", errorTexts, dayId);
    setError(item, "start_error", errorTexts, startId);
    setError(item, "end_error", errorTexts, endId);
    slotRows.push_back(item);
  }
  data.set("slot_rows", slotRows);
  services.pages.page(request, response, "profile", data, "profile.edit.title", errors.empty() ? 200 : 422);
}

// In the reader's language and time zone; the ISO form beside it stays UTC.
std::string shownTime(const http::Request& request, long long epochSeconds) {
  return themes::formatDateTime(epochSeconds, request.locale, request.timeZone);
}

std::string isoTime(long long epochSeconds) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(epochSeconds)),
                                         "%Y-%m-%dT%H:%M:%SZ");
}

void tokensPage(app::Services& services, http::Request& request, http::Response& response,
                const std::vector<http::FieldError>& errors) {
  Data data{Data::type::object};
  Data list{Data::type::list};
  for (const auto& token : services.apiTokens.list(request.visitor.accountId)) {
    Data item{Data::type::object};
    item.set("id", std::to_string(token.id));
    item.set("name", token.name);
    item.set("created", shownTime(request, token.createdAt));
    item.set("created_iso", isoTime(token.createdAt));
    item.set("used", boolData(token.lastUsedAt != 0));
    item.set("last_used", token.lastUsedAt != 0 ? shownTime(request, token.lastUsedAt) : "");
    item.set("last_used_iso", token.lastUsedAt != 0 ? isoTime(token.lastUsedAt) : "");
    item.set("revoked", boolData(token.revoked));
    list.push_back(item);
  }
  data.set("tokens", list);
  data.set("has_tokens", boolData(!list.is_empty_list()));
  Data values{Data::type::object};
  values.set("name", errors.empty() ? "" : request.formValue("name"));
  data.set("values", values);
  data.set("errors", errorsData(services, request, errors));
  data.set("revoked_notice", boolData(request.queryValue("revoked") == "1"));
  services.pages.page(request, response, "me_tokens", data, "profile.tokens.title", errors.empty() ? 200 : 422);
}

void deletePage(app::Services& services, http::Request& request, http::Response& response,
                const std::vector<http::FieldError>& errors) {
  Data data{Data::type::object};
  data.set("email", request.visitor.email);
  data.set("errors", errorsData(services, request, errors));
  services.pages.page(request, response, "me_delete", data, "profile.delete.title", errors.empty() ? 200 : 422);
}

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

void registerProfilePages(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;

  router.get("/me", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    Data data{Data::type::object};
    data.set("name", request.visitor.displayName);
    data.set("email", request.visitor.email);
    data.set("unverified", boolData(!request.visitor.emailVerified));
    data.set("verification_sent", boolData(request.queryValue("verification_sent") == "1"));
    data.set("welcome", boolData(request.queryValue("welcome") == "1"));
    Data list{Data::type::list};
    for (const auto& m : domain::Profiles(services.db).memberships(request.visitor.accountId)) {
      Data item{Data::type::object};
      item.set("slug", m.slug);
      item.set("association", m.name);
      item.set("role", services.pages.text(request, "profile.role." + m.role));
      item.set("manages", boolData(m.role == "admin" || m.role == "coordinator"));
      list.push_back(item);
    }
    data.set("has_memberships", boolData(!list.is_empty_list()));
    data.set("memberships", list);
    services.pages.page(request, response, "me", data, "profile.me.title");
  });

  router.get("/me/profile", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    domain::Profile profile = domain::Profiles(services.db).load(request.visitor.accountId);
    profilePage(services, request, response, domain::Profiles::toInput(profile), {});
  });
  router.post("/me/profile", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    domain::ProfileInput input = inputFrom(request);
    long long me = request.visitor.accountId;
    std::vector<http::FieldError> pluginErrors;
    bool kernelFieldsPassed = false;
    if (services.plugins != nullptr) {
      pluginErrors = services.plugins->saveProfileFields(me, request, true);
    }
    try {
      // The kernel's fields and the plugins' are saved together or not at all.
      services.db.transaction([&](soci::session&) {
        domain::Profiles(services.db).save(me, input);
        kernelFieldsPassed = true;
        if (!pluginErrors.empty()) {
          throw http::unprocessable(pluginErrors);
        }
        if (services.plugins != nullptr) {
          services.plugins->saveProfileFields(me, request, false);
        }
      });
    } catch (const http::HttpError& error) {
      if (error.status() != 422) {
        throw;
      }
      std::vector<http::FieldError> all = error.fields();
      if (!kernelFieldsPassed) {
        all.insert(all.end(), pluginErrors.begin(), pluginErrors.end());
      }
      profilePage(services, request, response, input, all);
      return;
    }
    response.redirect("/me/profile?saved=1");
  });

  router.get("/me/data", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    response.json(domain::PersonalData(services.db, services.personalDataParts).exportText(request.visitor.accountId));
    response.contentType = "application/json; charset=utf-8";
    response.headers["Content-Disposition"] = "attachment; filename=\"ruche-my-data.json\"";
    response.headers["Cache-Control"] = "no-store";
  });

  router.get("/me/delete", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    deletePage(services, request, response, {});
  });
  router.post("/me/delete", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    http::Validator v;
    std::string typed = lowered(v.text("confirm", request.formValue("confirm"), 1, 254));
    if (v.ok() && (request.visitor.email.empty() || typed != lowered(request.visitor.email))) {
      v.add("confirm", "confirm_mismatch", "must be exactly the e-mail address of this account");
    }
    if (!v.ok()) {
      deletePage(services, request, response, v.errors());
      return;
    }
    domain::PersonalData(services.db, services.personalDataParts).deleteAccount(request.visitor.accountId);
    signOut(services, request, response);
    response.redirect("/?deleted=1");
  });

  router.get("/me/tokens", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    tokensPage(services, request, response, {});
  });
  router.post("/me/tokens", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    http::Validator v;
    std::string name = v.text("name", request.formValue("name"), 1, 60);
    if (!v.ok()) {
      tokensPage(services, request, response, v.errors());
      return;
    }
    std::string token = services.apiTokens.create(request.visitor.accountId, name);
    Data data{Data::type::object};
    data.set("name", name);
    data.set("token", token);
    services.pages.page(request, response, "me_token_created", data, "profile.tokens.created_title");
    response.headers["Cache-Control"] = "no-store";
  });
  router.post("/me/tokens/{id}/revoke", guards.signedIn(),
              [&services](http::Request& request, http::Response& response) {
                std::string raw = request.param("id");
                long long id = 0;
                auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
                if (ec != std::errc() || end != raw.data() + raw.size() ||
                    !services.apiTokens.revoke(request.visitor.accountId, id)) {
                  throw http::notFound("No such token among yours.");
                }
                response.redirect("/me/tokens?revoked=1");
              });
}

}  // namespace ruche::web
