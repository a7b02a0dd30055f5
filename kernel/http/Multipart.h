#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace ruche::http {

/// One file sent in a multipart/form-data body.
struct UploadedFile {
  std::string filename;     ///< as the browser named it (no folders); may be empty
  std::string contentType;  ///< as the browser said; never trusted
  std::string content;
};

/// A multipart/form-data body taken apart: text fields like a urlencoded
/// form's, and files by field name.
struct MultipartForm {
  std::map<std::string, std::vector<std::string>> fields;
  std::map<std::string, std::vector<UploadedFile>> files;
};

/// Limits that keep a hostile body from costing more than its size.
inline constexpr std::size_t kMaxMultipartParts = 100;
inline constexpr std::size_t kMaxMultipartFieldBytes = 64 * 1024;  ///< a text field; files are bounded by the body

/// Parses `body` sent with `contentType` (multipart/form-data; boundary=…).
/// A part with a filename parameter is a file, any other a text field.
/// Throws HttpError 400 on a malformed body, a missing boundary, a part
/// without a name, more than kMaxMultipartParts parts or a text field longer
/// than kMaxMultipartFieldBytes.
MultipartForm parseMultipart(const std::string& body, const std::string& contentType);

/// True when `contentType` is multipart/form-data (parameters ignored).
bool isMultipartFormData(const std::string& contentType);

}  // namespace ruche::http
