#include "kernel/themes/PageRenderer.h"

#include <Poco/URI.h>

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

}  // namespace

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
  std::string content = templates_.render(templateName, data, request.locale);
  response.html(wrap(request, content, data.get("title")->string_value()), status);
}

std::string PageRenderer::wrap(const http::Request& request, const std::string& content,
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
  return templates_.render("layout", layout, request.locale);
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
