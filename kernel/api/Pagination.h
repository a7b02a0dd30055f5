#pragma once

#include <Poco/JSON/Array.h>

#include <string>

#include "kernel/http/Request.h"
#include "kernel/http/Response.h"

namespace ruche::api {

/// Which slice of a list the client asked for: ?page=1&per_page=20.
struct PageRequest {
  static constexpr int kDefaultPerPage = 20;
  static constexpr int kMaxPerPage = 100;

  int page = 1;                   ///< 1-based
  int perPage = kDefaultPerPage;  ///< 1..100

  long long offset() const { return static_cast<long long>(page - 1) * perPage; }
};

/// Reads page and per_page from the query (both optional). Out of range or
/// not a number is a 422 naming the parameter.
PageRequest readPage(const http::Request& request);

/// Writes {"items":[…],"page":n,"per_page":n,"total":n} and a Link header
/// with rel="prev" and rel="next" where such pages exist. The links keep the
/// request's other query parameters and start with `baseUrl` when it is set.
void writePage(http::Response& response, const http::Request& request, const std::string& baseUrl,
               const Poco::JSON::Array::Ptr& items, const PageRequest& page, long long total);

}  // namespace ruche::api
