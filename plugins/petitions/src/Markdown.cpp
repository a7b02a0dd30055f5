#include "Markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace petitions {
namespace {

/// Registers the GFM extensions once per process (cmark-gfm keeps them in a
/// global registry that is not safe to fill from two threads at once).
void registerExtensions() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

struct ParserDeleter {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};
struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};

/// Moves every heading one level down (at most <h6>).
void lowerHeadings(cmark_node* root) {
  cmark_iter* iter = cmark_iter_new(root);
  cmark_event_type event;
  while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter);
    if (event == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING) {
      int level = cmark_node_get_heading_level(node);
      cmark_node_set_heading_level(node, level < 6 ? level + 1 : 6);
    }
  }
  cmark_iter_free(iter);
}

}  // namespace

std::string renderMarkdown(const std::string& markdown) {
  registerExtensions();
  // CMARK_OPT_DEFAULT is the safe mode: raw HTML becomes a comment, dangerous
  // link schemes an empty href.
  const int options = CMARK_OPT_DEFAULT;
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(options));
  cmark_mem* memory = cmark_get_default_mem_allocator();
  for (const char* name : {"table", "strikethrough", "autolink", "tagfilter"}) {
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), extension);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
  lowerHeadings(document.get());
  char* html =
      cmark_render_html_with_mem(document.get(), options, cmark_parser_get_syntax_extensions(parser.get()), memory);
  std::string out = html == nullptr ? std::string() : std::string(html);
  memory->free(html);
  return out;
}

}  // namespace petitions
