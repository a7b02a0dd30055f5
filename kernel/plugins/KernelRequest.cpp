#include "kernel/plugins/KernelRequest.h"

#include <algorithm>
#include <cctype>

namespace ruche::plugins {

KernelRequest::KernelRequest(const http::Request& request) : request_(request) {
  visitor_.accountId = request.visitor.accountId;
  visitor_.email = request.visitor.email;
  visitor_.displayName = request.visitor.displayName;
  visitor_.federationAdmin = request.visitor.federationAdmin;
  visitor_.viaApiToken = request.visitor.viaApiToken;
}

std::optional<sdk::UploadedFile> KernelRequest::file(const std::string& name) const {
  const http::UploadedFile* sent = request_.file(name);
  if (sent == nullptr) {
    return std::nullopt;
  }
  return sdk::UploadedFile{sent->filename, sent->contentType, sent->content};
}

std::string KernelRequest::header(const std::string& name) const {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return request_.header(lower);
}

}  // namespace ruche::plugins
