#include "kernel/api/Pagination.h"

#include <algorithm>
#include <cctype>

#include "kernel/api/JsonHelpers.h"
#include "kernel/http/Validator.h"

namespace ruche::api {
namespace {

std::string percentEncode(const std::string& text) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

/// The request's URL with page replaced and per_page stated.
std::string pageUrl(const http::Request& request, const std::string& baseUrl, int page, int perPage) {
  std::string query;
  for (const auto& [name, values] : request.query) {
    if (name == "page" || name == "per_page") {
      continue;
    }
    for (const auto& value : values) {
      query += percentEncode(name) + "=" + percentEncode(value) + "&";
    }
  }
  query += "page=" + std::to_string(page) + "&per_page=" + std::to_string(perPage);
  std::string base = baseUrl;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  return base + request.path + "?" + query;
}

}  // namespace

PageRequest readPage(const http::Request& request) {
  http::Validator v;
  PageRequest page;
  auto number = v.integer("page", request.queryValue("page"), 1, 1000000, false);
  auto perPage = v.integer("per_page", request.queryValue("per_page"), 1, PageRequest::kMaxPerPage, false);
  v.check();
  page.page = static_cast<int>(number.value_or(1));
  page.perPage = static_cast<int>(perPage.value_or(PageRequest::kDefaultPerPage));
  return page;
}

void writePage(http::Response& response, const http::Request& request, const std::string& baseUrl,
               const Poco::JSON::Array::Ptr& items, const PageRequest& page, long long total) {
  Poco::JSON::Object::Ptr envelope = newObject();
  envelope->set("items", items);
  envelope->set("page", page.page);
  envelope->set("per_page", page.perPage);
  envelope->set("total", total);
  long long pages = (total + page.perPage - 1) / page.perPage;
  std::string link;
  if (page.page > 1 && pages > 0) {
    // A page past the end links back to the last one.
    int prev = static_cast<int>(std::min<long long>(page.page - 1, pages));
    link += "<" + pageUrl(request, baseUrl, prev, page.perPage) + ">; rel=\"prev\"";
  }
  if (page.page < pages) {
    link += std::string(link.empty() ? "" : ", ") + "<" + pageUrl(request, baseUrl, page.page + 1, page.perPage) +
            ">; rel=\"next\"";
  }
  if (!link.empty()) {
    response.headers["Link"] = link;
  }
  writeJson(response, envelope);
}

}  // namespace ruche::api
