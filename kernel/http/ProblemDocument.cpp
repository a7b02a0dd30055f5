#include "kernel/http/ProblemDocument.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace ruche::http {

std::string problemJson(const HttpError& error, const std::string& instance) {
  Poco::JSON::Object problem;
  problem.set("type", "about:blank");
  problem.set("title", error.title());
  problem.set("status", error.status());
  if (!error.detail().empty()) {
    problem.set("detail", error.detail());
  }
  problem.set("instance", instance);
  if (!error.fields().empty()) {
    Poco::JSON::Array errors;
    for (const auto& field : error.fields()) {
      Poco::JSON::Object item;
      item.set("pointer", "/" + field.field);
      item.set("detail", field.message);
      errors.add(item);
    }
    problem.set("errors", errors);
  }
  std::ostringstream out;
  problem.stringify(out);
  return out.str();
}

}  // namespace ruche::http
