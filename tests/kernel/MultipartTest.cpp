#include <doctest/doctest.h>

#include <string>

#include "kernel/http/HttpError.h"
#include "kernel/http/Multipart.h"

// The multipart/form-data parser the HTTP server runs on upload forms.
using ruche::http::HttpError;
using ruche::http::isMultipartFormData;
using ruche::http::parseMultipart;

namespace {

const std::string kType = "multipart/form-data; boundary=----RucheBoundary42";

std::string part(const std::string& disposition, const std::string& content, const std::string& extraHeaders = "") {
  return "------RucheBoundary42\r\nContent-Disposition: form-data; " + disposition + "\r\n" + extraHeaders + "\r\n" +
         content + "\r\n";
}

const std::string kEnd = "------RucheBoundary42--\r\n";

/// The status of the HttpError parseMultipart throws, or 0 when it does not.
int statusOf(const std::string& body, const std::string& type = kType) {
  try {
    parseMultipart(body, type);
  } catch (const HttpError& error) {
    return error.status();
  }
  return 0;
}

}  // namespace

TEST_CASE("a multipart body gives its text fields and its files apart, content byte for byte") {
  // Binary content with CR LF, a fake boundary and a NUL inside: 29 bytes.
  const char raw[] = "\x1f\x8b\x08\x00\r\n--not a boundary\r\n\0tail";
  std::string binary(raw, sizeof(raw) - 1);
  REQUIRE(binary.size() == 29);
  std::string body = part("name=\"_csrf\"", "token-123") + part("name=\"upgrade\"", "1") +
                     part("name=\"archive\"; filename=\"C:\\\\Users\\\\ana\\\\hello.tar.gz\"", binary,
                          "Content-Type: application/gzip\r\n") +
                     part("name=\"tag\"", "a") + part("name=\"tag\"", "b") + kEnd;
  auto form = parseMultipart(body, kType);
  CHECK(form.fields["_csrf"] == std::vector<std::string>{"token-123"});
  CHECK(form.fields["upgrade"] == std::vector<std::string>{"1"});
  CHECK(form.fields["tag"] == std::vector<std::string>{"a", "b"});
  CHECK(form.fields.count("archive") == 0);
  REQUIRE(form.files["archive"].size() == 1);
  const auto& file = form.files["archive"].front();
  CHECK(file.filename == "hello.tar.gz");
  CHECK(file.contentType == "application/gzip");
  CHECK(file.content == binary);
}

TEST_CASE("an empty file input still counts as a file, with no name and no content") {
  auto form = parseMultipart(part("name=\"archive\"; filename=\"\"", "") + kEnd, kType);
  REQUIRE(form.files["archive"].size() == 1);
  CHECK(form.files["archive"].front().filename.empty());
  CHECK(form.files["archive"].front().content.empty());
}

TEST_CASE("a malformed multipart body is a 400") {
  CHECK(statusOf(part("name=\"a\"", "x") + kEnd, "multipart/form-data") == 400);  // no boundary
  CHECK(statusOf("garbage without any boundary line") == 400);
  CHECK(statusOf(part("filename=\"x\"", "no name") + kEnd) == 400);
  CHECK(statusOf("------RucheBoundary42\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n" + kEnd) == 400);
  std::string tooMany;
  for (int i = 0; i != 101; ++i) {
    tooMany += part("name=\"f" + std::to_string(i) + "\"", "x");
  }
  CHECK(statusOf(tooMany + kEnd) == 400);
  CHECK(statusOf(part("name=\"big\"", std::string(64 * 1024 + 1, 'a')) + kEnd) == 400);
  CHECK(statusOf(part("name=\"fine\"", std::string(64 * 1024, 'a')) + kEnd) == 0);
}

TEST_CASE("only multipart/form-data is taken for a multipart form") {
  CHECK(isMultipartFormData(kType));
  CHECK(isMultipartFormData("Multipart/Form-Data; boundary=x"));
  CHECK_FALSE(isMultipartFormData("multipart/mixed; boundary=x"));
  CHECK_FALSE(isMultipartFormData("application/x-www-form-urlencoded"));
  CHECK_FALSE(isMultipartFormData(""));
}
