#include "kernel/themes/DisplayPreferences.h"

namespace ruche::themes {
namespace {

constexpr int kYear = 60 * 60 * 24 * 365;

}  // namespace

DisplayPreferences displayPreferences(const http::Request& request) {
  DisplayPreferences preferences;
  std::string contrast = request.cookie(kContrastCookie);
  if (contrast == "1") {
    preferences.contrast = DisplayPreferences::Contrast::On;
  } else if (contrast == "0") {
    preferences.contrast = DisplayPreferences::Contrast::Off;
  }
  preferences.easyRead = request.cookie(kEasyReadCookie) == "1";
  return preferences;
}

std::string displayKey(const http::Request& request) {
  DisplayPreferences preferences = displayPreferences(request);
  std::string key = "c";
  key += preferences.contrast == DisplayPreferences::Contrast::On    ? '1'
         : preferences.contrast == DisplayPreferences::Contrast::Off ? '0'
                                                                     : '-';
  key += preferences.easyRead ? "f1" : "f0";
  return key;
}

void DisplayMiddleware::before(http::Request& request, http::Response& response) {
  for (const auto& [parameter, cookie] : {std::pair<const char*, const char*>{"contrast", kContrastCookie},
                                          std::pair<const char*, const char*>{"falc", kEasyReadCookie}}) {
    std::string choice = request.queryValue(parameter);
    if (choice != "on" && choice != "off") {
      continue;
    }
    std::string value = choice == "on" ? "1" : "0";
    response.setCookie(cookie, value, {kYear, secure_});
    request.cookies[cookie] = value;
  }
}

}  // namespace ruche::themes
