#pragma once

#include <string>

#include "kernel/http/Middleware.h"
#include "kernel/http/Request.h"

namespace ruche::themes {

/// Cookies that remember a visitor's display choices for a year.
inline constexpr const char* kContrastCookie = "ruche_contrast";  ///< "1" on, "0" off; absent: the association's
inline constexpr const char* kEasyReadCookie = "ruche_falc";      ///< "1": easy-to-read (FALC) texts
/// The theme a visitor who asks for high contrast gets.
inline constexpr const char* kContrastTheme = "contrast";

/// A visitor's display choices, read from their cookies.
struct DisplayPreferences {
  enum class Contrast { Unset, On, Off };
  Contrast contrast = Contrast::Unset;
  bool easyRead = false;
};

DisplayPreferences displayPreferences(const http::Request& request);

/// A short text naming the choices ("c1f0"): pages cached for anonymous
/// visitors put it into their key, since the page differs by it.
std::string displayKey(const http::Request& request);

/// Turns `?contrast=on|off` and `?falc=on|off` (links of the layout, so the
/// toggle works without JavaScript) into cookies, and lets the current
/// request see the new choice at once.
class DisplayMiddleware : public http::Middleware {
 public:
  explicit DisplayMiddleware(bool secureCookies) : secure_(secureCookies) {}
  void before(http::Request& request, http::Response& response) override;

 private:
  bool secure_;
};

}  // namespace ruche::themes
