#pragma once

#include "kernel/http/Request.h"
#include "ruche/sdk/Http.h"

namespace ruche::plugins {

/// The SDK's read-only Request over the kernel's, for one handler call.
class KernelRequest : public sdk::Request {
 public:
  explicit KernelRequest(const http::Request& request);
  const std::string& method() const override { return request_.method; }
  const std::string& path() const override { return request_.path; }
  const std::string& target() const override { return request_.target; }
  std::string param(const std::string& name) const override { return request_.param(name); }
  std::string query(const std::string& name) const override { return request_.queryValue(name); }
  std::vector<std::string> queryValues(const std::string& name) const override { return request_.queryValues(name); }
  std::string form(const std::string& name) const override { return request_.formValue(name); }
  std::vector<std::string> formValues(const std::string& name) const override { return request_.formValues(name); }
  std::string header(const std::string& name) const override;
  const std::string& body() const override { return request_.body; }
  const std::string& remoteIp() const override { return request_.remoteIp; }
  const std::string& requestId() const override { return request_.requestId; }
  const sdk::Visitor& visitor() const override { return visitor_; }
  const std::string& locale() const override { return request_.locale; }
  const std::string& csrfToken() const override { return request_.csrfToken; }
  std::optional<sdk::UploadedFile> file(const std::string& name) const override;

 private:
  const http::Request& request_;
  sdk::Visitor visitor_;
};

}  // namespace ruche::plugins
