#pragma once

#include <boost/config.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace ruche::sdk {

/// One invalid input field, shown next to the field on a page and as a JSON
/// pointer "/field" in a problem document.
struct FieldError {
  std::string field;
  std::string message;  ///< English, for the API
  std::string code;     ///< e.g. "required": pages show the plugin's text "validation.<code>" if it has one
};

/// (Visible from every library, so the kernel catches what a plugin throws.)
/// An answer meant for the client (404, 403, 409, 422…). Throw it from a
/// handler: the kernel turns it into the themed error page or a problem
/// document (RFC 9457). It is not a plugin failure. Any other exception is:
/// the request gets a 500, the plugin is named in the log and the failure
/// counts towards switching the plugin off.
class BOOST_SYMBOL_VISIBLE HttpError : public std::runtime_error {
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
inline HttpError conflict(const std::string& detail) {
  return HttpError(409, "Conflict", detail);
}
inline HttpError unprocessable(std::vector<FieldError> fields) {
  return HttpError(422, "Unprocessable Content", "Some fields are invalid.", std::move(fields));
}

}  // namespace ruche::sdk
