#pragma once

#include <map>
#include <string>

namespace ruche::testing {

/// What HttpClient got back.
struct HttpResponse {
  int status = 0;
  /// Names in lower case; repeated headers joined with ", ", except set-cookie,
  /// of which only the last is kept (the client's cookie jar sees them all).
  std::map<std::string, std::string> headers;
  std::string body;

  /// The value of a header, whatever the case of `name`; empty when absent.
  std::string header(const std::string& name) const;
};

}  // namespace ruche::testing
