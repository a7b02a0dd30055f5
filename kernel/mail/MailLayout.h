#pragma once

#include <string>

#include "kernel/themes/Templates.h"

namespace ruche::mail {

/// Why a person gets a mail and how to stop it: the footer of the HTML part.
struct MailFooter {
  std::string reason;          ///< one sentence in the recipient's language
  std::string unsubscribeUrl;  ///< empty for mails that cannot be turned off (account mails)
  std::string settingsUrl;     ///< the notification settings page; may be empty
};

/// Wraps a mail's plain text in the theme's HTML e-mail layout
/// (`mail_layout.mustache`), so that every HTML part looks alike and each
/// theme can restyle them in one file.
///
/// The text is never trusted as HTML: it reaches the template as paragraphs
/// (split on blank lines) of lines of segments, which Mustache escapes. Only
/// the links to Ruche itself (starting with the base URL) become <a> links,
/// so a URL typed by someone into a mission title stays plain text.
class MailLayout {
 public:
  MailLayout(const themes::Templates& templates, std::string baseUrl)
      : templates_(templates), baseUrl_(std::move(baseUrl)) {}

  /// The whole HTML document, in `locale` (fr when not supported).
  std::string render(const std::string& locale, const std::string& subject, const std::string& text,
                     const MailFooter& footer) const;

  /// The template data for `text`: {paragraphs: [{lines: [{segments: [{text,
  /// link}], last}]}]}.
  themes::Data paragraphs(const std::string& text) const;

 private:
  const themes::Templates& templates_;
  std::string baseUrl_;
};

}  // namespace ruche::mail
