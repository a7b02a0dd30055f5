#include "kernel/themes/PageRenderer.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <algorithm>

#include "kernel/themes/DisplayPreferences.h"

namespace ruche::themes {
namespace {

/// What templates know of the visitor.
Data visitorData(const http::Request& request) {
  Data visitor{Data::type::object};
  visitor.set("signed_in", request.visitor.signedIn() ? Data::type::bool_true : Data::type::bool_false);
  visitor.set("display_name", request.visitor.displayName);
  visitor.set("federation_admin", request.visitor.federationAdmin ? Data::type::bool_true : Data::type::bool_false);
  return visitor;
}

Data flag(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

}  // namespace

PageRenderer::PageLook PageRenderer::pageLook(const http::Request& request) const {
  PageLook result;
  std::string kernelTheme = templates_.themes()->kernelTheme();
  std::string theme = kernelTheme;
  if (request.association && branding_ != nullptr) {
    try {
      result.branding = branding_->get(request.association->id);
      if (templates_.hasTheme(result.branding->theme)) {
        theme = result.branding->theme;
      }
    } catch (const std::exception& e) {
      // The error page of an unreachable database must still render.
      Poco::Logger::get("ruche.themes").warning("branding not read: %s", std::string(e.what()));
      result.branding.reset();
    }
  }
  DisplayPreferences preferences = displayPreferences(request);
  if (preferences.contrast == DisplayPreferences::Contrast::On && templates_.hasTheme(kContrastTheme)) {
    theme = kContrastTheme;
  } else if (preferences.contrast == DisplayPreferences::Contrast::Off && theme == kContrastTheme) {
    theme = kernelTheme;
  }
  result.look = Look{theme, preferences.easyRead};
  return result;
}

Look PageRenderer::lookFor(const http::Request& request) const {
  return pageLook(request).look;
}

Look PageRenderer::lookForAssociation(long long associationId) const {
  Look look{templates_.themes()->kernelTheme(), false};
  if (associationId != 0 && branding_ != nullptr) {
    std::string theme = branding_->get(associationId).theme;
    if (templates_.hasTheme(theme)) {
      look.theme = theme;
    }
  }
  return look;
}

void PageRenderer::page(const http::Request& request, http::Response& response, const std::string& templateName,
                        Data data, const std::string& titleKey, int status) const {
  const Catalog& catalog = templates_.catalog();
  Data visitor = visitorData(request);
  data.set("visitor", visitor);
  data.set("csrf", request.csrfToken);
  data.set("lang", request.locale);
  data.set(request.locale == "fr" ? "lang_fr" : "lang_en", Data::type::bool_true);
  // Language links are "{{path}}?lang=…": never a "//host" path of our making.
  std::string path = request.path.rfind("//", 0) == 0 ? "/" : request.path;
  data.set("path", path);
  std::string title = catalog.text(request.locale, titleKey);
  if (data.get("title") == nullptr) {
    data.set("title", title);
  }
  PageLook look = pageLook(request);
  data.set("easy_read", flag(look.look.easyRead));
  std::string content = templates_.render(look.look, templateName, data, request.locale);
  response.html(wrapWith(request, look, content, data.get("title")->string_value()), status);
}

std::string PageRenderer::wrap(const http::Request& request, const std::string& content,
                               const std::string& title) const {
  return wrapWith(request, pageLook(request), content, title);
}

std::string PageRenderer::wrapWith(const http::Request& request, const PageLook& look, const std::string& content,
                                   const std::string& title) const {
  Data visitor = visitorData(request);
  std::string path = request.path.rfind("//", 0) == 0 ? "/" : request.path;
  Data layout{Data::type::object};
  layout.set("content", content);
  layout.set("title", title);
  layout.set("visitor", visitor);
  layout.set("csrf", request.csrfToken);
  layout.set("lang", request.locale);
  layout.set(request.locale == "fr" ? "lang_fr" : "lang_en", Data::type::bool_true);
  layout.set("path", path);
  const auto& chain = templates_.themes()->chain(look.look.theme);
  bool contrast = std::find(chain.begin(), chain.end(), kContrastTheme) != chain.end();
  layout.set("theme", look.look.theme);
  layout.set("contrast_on", flag(contrast));
  layout.set("easy_read", flag(look.look.easyRead));
  if (look.branding && request.association) {
    const Branding& branding = *look.branding;
    std::string base = "/a/" + request.association->slug + "/branding/";
    Data brand{Data::type::object};
    brand.set("name", request.association->name);
    brand.set("home", "/a/" + request.association->slug);
    std::string css = brandingStylesheet(branding);
    // The contrast theme keeps its own colours: brand colours only meet AA.
    if (!css.empty() && !contrast) {
      brand.set("css_url", base + "style." + contentHash(css) + ".css");
    }
    if (!branding.logoType.empty()) {
      brand.set("logo_url", base + "logo." + branding.logoHash + "." + imageExtension(branding.logoType));
    }
    layout.set("branding", brand);
  }
  return templates_.render(look.look, "layout", layout, request.locale);
}

void PageRenderer::errorPage(http::Request& request, http::Response& response, const http::HttpError& error) const {
  Data data{Data::type::object};
  data.set("status", std::to_string(error.status()));
  std::string key = "error." + std::to_string(error.status());
  std::string title = templates_.catalog().text(request.locale, key);
  data.set("title", title == key ? error.title() : title);
  data.set("detail", error.detail());
  if (error.status() == 401) {
    // Offer the login form, coming back here afterwards.
    std::string encoded;
    Poco::URI::encode(request.method == "GET" ? request.target : std::string("/me"), "?&=#+%", encoded);
    data.set("login_next", encoded);
  }
  page(request, response, "error", data, key, error.status());
}

std::vector<http::FieldError> PageRenderer::localised(const http::Request& request,
                                                      std::vector<http::FieldError> errors,
                                                      const std::string& areaPrefix) const {
  for (auto& error : errors) {
    for (const std::string& key : {areaPrefix + error.code, "validation." + error.code}) {
      if (key == error.code) {
        continue;  // no area prefix given
      }
      std::string text = templates_.catalog().text(request.locale, key);
      if (text != key) {
        error.message = text;
        break;
      }
    }
  }
  return errors;
}

Data PageRenderer::fieldErrors(const std::vector<http::FieldError>& errors) {
  Data result{Data::type::object};
  Data list{Data::type::list};
  for (const auto& error : errors) {
    result.set(error.field, error.message);
    Data item{Data::type::object};
    item.set("field", error.field);
    item.set("message", error.message);
    list.push_back(item);
  }
  result.set("list", list);
  result.set("any", errors.empty() ? Data::type::bool_false : Data::type::bool_true);
  return result;
}

}  // namespace ruche::themes
