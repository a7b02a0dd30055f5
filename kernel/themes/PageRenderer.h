#pragma once

#include <string>

#include "kernel/http/HttpError.h"
#include "kernel/http/Request.h"
#include "kernel/http/Response.h"
#include "kernel/themes/Branding.h"
#include "kernel/themes/Templates.h"

namespace ruche::themes {

/// Renders a page: the named template inside `layout`, with what every page
/// needs (language, visitor, CSRF token, texts, navigation), through the
/// look of the request: the association's theme and branding on its
/// `/a/<slug>/…` pages, the visitor's high-contrast and easy-to-read choices.
class PageRenderer {
 public:
  explicit PageRenderer(const Templates& templates) : templates_(templates) {}

  /// Where associations' branding is read; without one, every page has the
  /// kernel's theme (tools that have no database).
  void setBranding(const BrandingStore* branding) { branding_ = branding; }

  /// The theme and easy-read choice for this request: the visitor's
  /// contrast choice, else the association's theme, else the kernel's.
  Look lookFor(const http::Request& request) const;
  /// The association's theme, outside a request (a plugin's job or event);
  /// the kernel's for 0.
  Look lookForAssociation(long long associationId) const;

  /// `titleKey` is a catalogue key for <title> and the page heading.
  void page(const http::Request& request, http::Response& response, const std::string& templateName, Data data,
            const std::string& titleKey, int status = 200) const;

  /// The site layout around an HTML fragment already rendered (a plugin's
  /// page): navigation, language switch, skip link, `title`.
  std::string wrap(const http::Request& request, const std::string& content, const std::string& title) const;
  /// The themed error page (used by the pipeline for every HTML error).
  void errorPage(http::Request& request, http::Response& response, const http::HttpError& error) const;

  /// Field errors with their messages in the visitor's language: the text of
  /// "<areaPrefix><code>" if the area has one, else "validation.<code>", else
  /// the English message.
  std::vector<http::FieldError> localised(const http::Request& request, std::vector<http::FieldError> errors,
                                          const std::string& areaPrefix = "") const;

  /// Field errors as Mustache data: {field_name: message} plus a list for the summary.
  static Data fieldErrors(const std::vector<http::FieldError>& errors);

  const Templates& templates() const { return templates_; }
  std::string text(const http::Request& request, const std::string& key) const {
    return templates_.catalog().text(request.locale, key);
  }

 private:
  /// A look with the association's branding it was drawn from.
  struct PageLook {
    Look look;
    std::optional<Branding> branding;  ///< on an association's pages
  };
  PageLook pageLook(const http::Request& request) const;
  std::string wrapWith(const http::Request& request, const PageLook& look, const std::string& content,
                       const std::string& title) const;

  const Templates& templates_;
  const BrandingStore* branding_ = nullptr;
};

}  // namespace ruche::themes
