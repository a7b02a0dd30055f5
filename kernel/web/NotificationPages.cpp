#include "kernel/http/HttpError.h"
#include "kernel/http/Validator.h"
#include "kernel/mail/NotificationPreferences.h"
#include "kernel/mail/UnsubscribeTokens.h"
#include "kernel/web/Registrations.h"

namespace ruche::web {
namespace {

using themes::Data;

/// The kinds as the page lists them: checkbox name, label key, state.
Data kindList(const themes::Catalog& texts, const std::string& locale, const std::map<std::string, bool>& states) {
  Data kinds{Data::type::list};
  for (const auto& kind : mail::notificationKinds()) {
    Data item{Data::type::object};
    item.set("kind", kind);
    item.set("label", texts.text(locale, "notifications.kind." + kind));
    item.set("hint", texts.text(locale, "notifications.hint." + kind));
    item.set("checked", states.at(kind) ? Data::type::bool_true : Data::type::bool_false);
    kinds.push_back(item);
  }
  return kinds;
}

/// The verified target of the token, or 404: the token is the only credential.
mail::UnsubscribeTarget targetOf(app::Services& services, const std::string& token) {
  auto target = mail::UnsubscribeTokens(services.db).verify(token);
  if (!target) {
    throw http::notFound("This unsubscribe link is invalid. Sign in to choose your notifications.");
  }
  return *target;
}

}  // namespace

void registerNotificationPages(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  router.get("/me/notifications", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    Data data{Data::type::object};
    data.set("kinds", kindList(services.templates.catalog(), request.locale,
                               mail::NotificationPreferences(services.db).of(request.visitor.accountId)));
    data.set("saved", request.queryValue("saved") == "1" ? Data::type::bool_true : Data::type::bool_false);
    services.pages.page(request, response, "me_notifications", data, "notifications.title");
  });
  // Unchecked boxes are not sent: every kind not in the form is turned off.
  router.post("/me/notifications", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    http::Validator v;
    std::map<std::string, bool> states;
    for (const auto& kind : mail::notificationKinds()) {
      states[kind] = false;
    }
    for (const auto& value : request.formValues("kind")) {
      std::string kind = v.oneOf("kind", value, mail::notificationKinds());
      if (v.ok()) {
        states[kind] = true;
      }
    }
    v.check();
    mail::NotificationPreferences(services.db).set(request.visitor.accountId, states);
    response.redirect("/me/notifications?saved=1");
  });
  // Opening the link changes nothing (mail scanners open links): it shows a
  // form, and the POST does it. No sign-in: the signed token is the credential.
  router.get("/unsubscribe", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    std::string token = request.queryValue("token");
    mail::UnsubscribeTarget target = targetOf(services, token);
    Data data{Data::type::object};
    data.set("token", token);
    data.set("one_kind", target.kind != "all" ? Data::type::bool_true : Data::type::bool_false);
    data.set("kind_label", target.kind == "all" ? std::string()
                                                : services.templates.catalog().text(
                                                      request.locale, "notifications.kind." + target.kind));
    data.set("done", request.queryValue("done") == "1" ? Data::type::bool_true : Data::type::bool_false);
    data.set("done_all", request.queryValue("scope") == "all" ? Data::type::bool_true : Data::type::bool_false);
    services.pages.page(request, response, "unsubscribe", data, "notifications.unsubscribe.title");
    response.headers["Cache-Control"] = "no-store";
    response.headers["Referrer-Policy"] = "no-referrer";
  });
  router.post("/unsubscribe", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    std::string token = request.formValue("token");
    mail::UnsubscribeTarget target = targetOf(services, token);
    http::Validator v;
    std::string scope = target.kind == "all" ? "all" : v.oneOf("scope", request.formValue("scope"), {"kind", "all"});
    v.check();
    std::map<std::string, bool> states;
    if (scope == "all") {
      for (const auto& kind : mail::notificationKinds()) {
        states[kind] = false;
      }
    } else {
      states[target.kind] = false;
    }
    mail::NotificationPreferences(services.db).set(target.accountId, states);
    response.redirect("/unsubscribe?token=" + token + "&done=1&scope=" + scope);
  });
}

}  // namespace ruche::web
