#include <algorithm>
#include <string>
#include <vector>

#include "kernel/admin/AdminForms.h"
#include "kernel/admin/AdminPages.h"
#include "kernel/auth/Roles.h"
#include "kernel/http/TimeZones.h"
#include "kernel/http/Validator.h"
#include "kernel/storage/ReadCache.h"

// /a/<slug>/manage/language: the association's default language (for
// visitors who chose none and whose browser names none we have) and its time
// zone (dates for visitors without their own, the impact months).
namespace ruche::admin {
namespace {

using themes::Data;

/// Offered first in the time zone list: where the federation's associations are.
const std::vector<std::string> kCommonZones = {"Europe/Paris",       "Europe/Brussels",    "Europe/Zurich",
                                               "Europe/Luxembourg",  "America/Montreal",   "Indian/Reunion",
                                               "America/Guadeloupe", "America/Martinique", "Pacific/Noumea"};

Data flag(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

Data zoneOptions(const std::string& chosen) {
  Data options{Data::type::list};
  auto add = [&](const std::string& zone) {
    Data option{Data::type::object};
    option.set("value", zone);
    option.set("selected", flag(zone == chosen));
    options.push_back(option);
  };
  for (const auto& zone : kCommonZones) {
    add(zone);
  }
  for (const auto& zone : http::knownTimeZones()) {
    if (std::find(kCommonZones.begin(), kCommonZones.end(), zone) == kCommonZones.end()) {
      add(zone);
    }
  }
  return options;
}

void languagePage(app::Services& services, http::Request& request, http::Response& response, const std::string& locale,
                  const std::string& zone, const std::vector<http::FieldError>& errors) {
  Data data{Data::type::object};
  data.set("association_name", request.association->name);
  data.set("action", "/a/" + request.association->slug + "/manage/language");
  data.set("settings", "/a/" + request.association->slug + "/manage/settings");
  Data locales{Data::type::list};
  for (const auto& [value, label] :
       std::vector<std::pair<std::string, std::string>>{{"fr", "Français"}, {"en", "English"}}) {
    Data option{Data::type::object};
    option.set("value", value);
    option.set("label", label);
    option.set("lang", value);
    option.set("selected", flag(value == locale));
    locales.push_back(option);
  }
  data.set("locales", locales);
  data.set("zones", zoneOptions(zone));
  data.set("errors", themes::PageRenderer::fieldErrors(services.pages.localised(request, errors)));
  markSaved(request, data);
  services.pages.page(request, response, "admin_association_language", data, "admin_language.title",
                      errors.empty() ? 200 : 422);
}

}  // namespace

void registerAssociationProfilePages(http::Router& router, app::Services& services) {
  auto guard = services.guards.association(auth::Role::Admin);
  router.get("/a/{slug}/manage/language", guard, [&services](http::Request& request, http::Response& response) {
    storage::Database::Session session(services.db);
    std::string locale;
    std::string zone;
    *session << "SELECT default_locale, timezone FROM associations WHERE id = :id", soci::use(request.association->id),
        soci::into(locale), soci::into(zone);
    languagePage(services, request, response, locale, zone, {});
  });
  router.post("/a/{slug}/manage/language", guard, [&services](http::Request& request, http::Response& response) {
    http::Validator v;
    std::string locale = v.oneOf("default_locale", request.formValue("default_locale"), {"fr", "en"});
    std::string zone = v.timeZone("timezone", request.formValue("timezone"));
    if (!v.ok()) {
      languagePage(services, request, response, request.formValue("default_locale"), request.formValue("timezone"),
                   v.errors());
      return;
    }
    long long id = request.association->id;
    services.db.transaction([&](soci::session& sql) {
      sql << "UPDATE associations SET default_locale = :l, timezone = :z WHERE id = :id", soci::use(locale),
          soci::use(zone), soci::use(id);
    });
    storage::invalidateReadCaches();  // the association's language is read with its slug
    response.redirect("/a/" + request.association->slug + "/manage/language?saved=1");
  });
}

}  // namespace ruche::admin
