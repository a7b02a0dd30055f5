#include "tests/support/HttpResponse.h"

#include <Poco/String.h>

namespace ruche::testing {

std::string HttpResponse::header(const std::string& name) const {
  auto found = headers.find(Poco::toLower(name));
  return found == headers.end() ? std::string() : found->second;
}

}  // namespace ruche::testing
