#pragma once

#include "kernel/http/Middleware.h"

namespace ruche::http {

/// CSP without unsafe-inline, nosniff, Referrer-Policy, frame-ancestors.
/// Pages carry no inline script or style, so the policy can stay strict.
class SecurityHeaders : public Middleware {
 public:
  explicit SecurityHeaders(bool https) : https_(https) {}
  void before(Request&, Response&) override {}
  void after(Request& request, Response& response) override;

 private:
  bool https_;
};

}  // namespace ruche::http
