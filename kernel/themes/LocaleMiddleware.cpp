#include "kernel/themes/LocaleMiddleware.h"

#include "kernel/themes/Catalog.h"
#include "kernel/themes/LocalFormat.h"

namespace ruche::themes {
namespace {

bool supported(const std::string& locale) {
  return locale == "fr" || locale == "en";
}

}  // namespace

void LocaleMiddleware::before(http::Request& request, http::Response& response) {
  std::string chosen = request.queryValue("lang");
  if (supported(chosen)) {
    response.setCookie("ruche_lang", chosen, {60 * 60 * 24 * 365, secure_});
    request.locale = chosen;
    return;
  }
  request.locale = negotiateLocale(request.cookie("ruche_lang"), request.header("accept-language"));
}

void PreferencesMiddleware::before(http::Request& request, http::Response&) {
  std::string chosen = request.queryValue("lang");
  if (request.visitor.signedIn()) {
    std::string locale;
    std::string zone;
    bool found = false;
    {
      storage::Database::Session session(db_);
      *session << "SELECT locale, timezone FROM accounts WHERE id = :id", soci::use(request.visitor.accountId),
          soci::into(locale), soci::into(zone);
      found = session->got_data();
    }
    if (found) {
      if (supported(chosen) && chosen != locale && !request.visitor.viaApiToken) {
        // The language links are the person's choice: remember it on the account.
        long long id = request.visitor.accountId;
        db_.transaction([&](soci::session& sql) {
          sql << "UPDATE accounts SET locale = :l WHERE id = :id", soci::use(chosen), soci::use(id);
        });
        locale = chosen;
      }
      request.locale = supported(locale) ? locale : "fr";
      request.timeZone = http::isKnownTimeZone(zone) ? zone : kDefaultTimeZone;
      return;
    }
  }
  bool explicitChoice = supported(chosen) || supported(request.cookie("ruche_lang"));
  if (!request.association) {
    return;
  }
  const std::string& locale = request.association->defaultLocale;
  const std::string& zone = request.association->timeZone;
  if (http::isKnownTimeZone(zone)) {
    request.timeZone = zone;
  }
  if (!explicitChoice && acceptedLocale(request.header("accept-language")).empty() && supported(locale)) {
    request.locale = locale;
  }
}

}  // namespace ruche::themes
