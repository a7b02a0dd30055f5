#pragma once

#include "kernel/http/Middleware.h"
#include "kernel/storage/Database.h"

namespace ruche::domain {

/// Resolves the association of `/a/<slug>/…` (and `/api/v1/associations/<slug>/…`)
/// into request.association; an unknown slug is a 404 before any handler runs.
class AssociationMiddleware : public http::Middleware {
 public:
  explicit AssociationMiddleware(storage::Database& db) : db_(db) {}
  void before(http::Request& request, http::Response& response) override;

 private:
  storage::Database& db_;
};

}  // namespace ruche::domain
