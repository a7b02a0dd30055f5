#pragma once

#include <string>

namespace petitions {

/// A petition's text, written in Markdown (GitHub's flavour: tables,
/// strikethrough, autolinks), as HTML safe to put in a page: cmark-gfm's
/// default safe mode drops raw HTML and blanks `javascript:`, `vbscript:`,
/// `file:` and most `data:` links; never CMARK_OPT_UNSAFE. Headings are
/// moved one level down (# becomes <h2>), so the page keeps its one <h1>.
std::string renderMarkdown(const std::string& markdown);

}  // namespace petitions
