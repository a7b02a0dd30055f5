#pragma once

#include "kernel/http/Request.h"
#include "kernel/http/Response.h"

namespace ruche::http {

/// One step around every handler. `before` runs in the order middlewares were
/// added and may throw HttpError to stop the request; `after` runs in reverse
/// order, also after errors, so headers are set on error pages too.
class Middleware {
 public:
  virtual ~Middleware() = default;
  virtual void before(Request& request, Response& response) = 0;
  virtual void after(Request& /*request*/, Response& /*response*/) {}
};

}  // namespace ruche::http
