#pragma once

#include "kernel/http/Middleware.h"
#include "kernel/storage/Database.h"

namespace ruche::themes {

/// First step, before anything can fail: sets request.locale from ?lang=,
/// the ruche_lang cookie, then Accept-Language (by q-value), else fr; a
/// ?lang= choice is remembered in the cookie. Error pages of later steps
/// use it.
class LocaleMiddleware : public http::Middleware {
 public:
  explicit LocaleMiddleware(bool secureCookies) : secure_(secureCookies) {}
  void before(http::Request& request, http::Response& response) override;

 private:
  bool secure_;
};

/// Second step, once the session and the association are known: the
/// language order is the person's saved choice (their account; a ?lang=
/// they follow from our pages, or from outside the browser, is saved there)
/// → Accept-Language → the association's
/// default language → French. Sets request.timeZone: the person's zone,
/// else the association's, else Europe/Paris.
class PreferencesMiddleware : public http::Middleware {
 public:
  explicit PreferencesMiddleware(storage::Database& db) : db_(db) {}
  void before(http::Request& request, http::Response& response) override;

 private:
  storage::Database& db_;
};

}  // namespace ruche::themes
