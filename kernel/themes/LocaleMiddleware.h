#pragma once

#include "kernel/http/Middleware.h"

namespace ruche::themes {

/// Sets request.locale from ?lang=, the ruche_lang cookie, then
/// Accept-Language; a ?lang= choice is remembered in the cookie.
class LocaleMiddleware : public http::Middleware {
 public:
  explicit LocaleMiddleware(bool secureCookies) : secure_(secureCookies) {}
  void before(http::Request& request, http::Response& response) override;

 private:
  bool secure_;
};

}  // namespace ruche::themes
