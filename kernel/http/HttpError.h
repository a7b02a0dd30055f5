#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace ruche::http {

/// One invalid input: `field` is the form field name; on the API it becomes
/// the JSON pointer "/field".
struct FieldError {
  std::string field;
  std::string message;  ///< English, for the API
  std::string code;     ///< e.g. "required"; pages show the text "validation.<code>"
};

/// An error meant for the client. Thrown anywhere in a request, turned into a
/// problem document (API) or an error page (HTML) at one place: the pipeline.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string title, std::string detail = {}, std::vector<FieldError> fields = {})
      : std::runtime_error(title),
        status_(status),
        title_(std::move(title)),
        detail_(std::move(detail)),
        fields_(std::move(fields)) {}

  int status() const { return status_; }
  const std::string& title() const { return title_; }
  const std::string& detail() const { return detail_; }
  const std::vector<FieldError>& fields() const { return fields_; }
  /// Extra response headers, such as Allow on a 405 or Retry-After on a 429.
  std::vector<std::pair<std::string, std::string>> headers;

 private:
  int status_;
  std::string title_;
  std::string detail_;
  std::vector<FieldError> fields_;
};

inline HttpError notFound(const std::string& detail = {}) {
  return HttpError(404, "Not Found", detail);
}
inline HttpError forbidden(const std::string& detail = {}) {
  return HttpError(403, "Forbidden", detail);
}
inline HttpError badRequest(const std::string& detail) {
  return HttpError(400, "Bad Request", detail);
}
inline HttpError unprocessable(std::vector<FieldError> fields) {
  return HttpError(422, "Unprocessable Content", "Some fields are invalid.", std::move(fields));
}

}  // namespace ruche::http
