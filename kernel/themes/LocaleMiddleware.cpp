#include "kernel/themes/LocaleMiddleware.h"

#include "kernel/themes/Catalog.h"

namespace ruche::themes {

void LocaleMiddleware::before(http::Request& request, http::Response& response) {
  std::string chosen = request.queryValue("lang");
  if (chosen == "fr" || chosen == "en") {
    response.setCookie("ruche_lang", chosen, {60 * 60 * 24 * 365, secure_});
    request.locale = chosen;
    return;
  }
  request.locale = negotiateLocale(request.cookie("ruche_lang"), request.header("accept-language"));
}

}  // namespace ruche::themes
