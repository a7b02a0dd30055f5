#include "kernel/themes/LocaleMiddleware.h"

#include "kernel/themes/Catalog.h"
#include "kernel/themes/LocalFormat.h"

namespace ruche::themes {
namespace {

bool supported(const std::string& locale) {
  return locale == "fr" || locale == "en";
}

/// Whether the person followed one of our own pages' links, or started the
/// navigation outside any site (typed address, bookmark, a mail client's
/// link), per the browser's Sec-Fetch-Site: only then may a GET's ?lang= be
/// saved on the account. A link or an image on another site, or a client
/// that does not say where it comes from, gets the page in that language
/// but changes nothing on the account (a GET must not let another site
/// change an account; the profile form saves the language in any browser).
bool followedFromOurPages(const http::Request& request) {
  std::string site = request.header("sec-fetch-site");
  return site == "same-origin" || site == "none";
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
      if (supported(chosen) && chosen != locale && !request.visitor.viaApiToken && followedFromOurPages(request)) {
        // The language links are the person's choice: remember it on the account.
        long long id = request.visitor.accountId;
        db_.transaction([&](soci::session& sql) {
          sql << "UPDATE accounts SET locale = :l WHERE id = :id", soci::use(chosen), soci::use(id);
        });
        locale = chosen;
      }
      request.locale = supported(chosen) ? chosen : supported(locale) ? locale : "fr";
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
