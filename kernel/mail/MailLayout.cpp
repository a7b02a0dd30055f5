#include "kernel/mail/MailLayout.h"

#include <vector>

namespace ruche::mail {
namespace {

using kainjow::mustache::data;

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (char c : text) {
    if (c == '\r') {
      continue;
    }
    if (c == '\n') {
      lines.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  lines.push_back(line);
  return lines;
}

bool blank(const std::string& line) {
  return line.find_first_not_of(" \t") == std::string::npos;
}

data segment(const std::string& text, bool link) {
  data s{data::type::object};
  s.set("text", text);
  s.set("link", link ? data::type::bool_true : data::type::bool_false);
  return s;
}

}  // namespace

data MailLayout::paragraphs(const std::string& text) const {
  data paragraphs{data::type::list};
  data lines{data::type::list};
  std::vector<data> pending;
  auto flush = [&]() {
    if (pending.empty()) {
      return;
    }
    data list{data::type::list};
    for (std::size_t i = 0; i < pending.size(); ++i) {
      pending[i].set("last", i + 1 == pending.size() ? data::type::bool_true : data::type::bool_false);
      list.push_back(pending[i]);
    }
    data paragraph{data::type::object};
    paragraph.set("lines", list);
    paragraphs.push_back(paragraph);
    pending.clear();
  };
  for (const std::string& line : splitLines(text)) {
    if (blank(line)) {
      flush();
      continue;
    }
    data segments{data::type::list};
    std::string plain;
    std::size_t pos = 0;
    while (pos < line.size()) {
      std::size_t at = baseUrl_.empty() ? std::string::npos : line.find(baseUrl_, pos);
      // A link to Ruche starts a word and runs to the next space.
      while (at != std::string::npos && at > 0 && line[at - 1] != ' ' && line[at - 1] != '\t') {
        at = line.find(baseUrl_, at + 1);
      }
      if (at == std::string::npos) {
        plain += line.substr(pos);
        break;
      }
      std::size_t end = line.find_first_of(" \t", at);
      if (end == std::string::npos) {
        end = line.size();
      }
      // Trailing punctuation ends the sentence, not the URL.
      while (end > at + baseUrl_.size() && std::string(".,;:!?)»\"'").find(line[end - 1]) != std::string::npos) {
        --end;
      }
      plain += line.substr(pos, at - pos);
      if (!plain.empty()) {
        segments.push_back(segment(plain, false));
        plain.clear();
      }
      segments.push_back(segment(line.substr(at, end - at), true));
      pos = end;
    }
    if (!plain.empty()) {
      segments.push_back(segment(plain, false));
    }
    data entry{data::type::object};
    entry.set("segments", segments);
    pending.push_back(entry);
  }
  flush();
  return paragraphs;
}

std::string MailLayout::render(const std::string& locale, const std::string& subject, const std::string& text,
                               const MailFooter& footer) const {
  std::string lang = locale == "en" ? "en" : "fr";
  data page{data::type::object};
  page.set("lang", lang);
  page.set("subject", subject);
  page.set("paragraphs", paragraphs(text));
  page.set("reason", footer.reason);
  if (!footer.unsubscribeUrl.empty()) {
    data unsubscribe{data::type::object};
    unsubscribe.set("url", footer.unsubscribeUrl);
    page.set("unsubscribe", unsubscribe);
  }
  if (!footer.settingsUrl.empty()) {
    data settings{data::type::object};
    settings.set("url", footer.settingsUrl);
    page.set("settings", settings);
  }
  return templates_.render("mail_layout", page, lang);
}

}  // namespace ruche::mail
