#pragma once

#include <optional>
#include <string>

#include "kernel/http/Router.h"
#include "kernel/storage/Database.h"

namespace ruche::auth {

/// Roles inside one association, weakest first.
enum class Role { Volunteer = 1, Coordinator = 2, Admin = 3 };

std::string roleName(Role role);
std::optional<Role> parseRole(const std::string& name);

/// The account's role in the association, if any.
std::optional<Role> roleIn(soci::session& sql, long long accountId, long long associationId);

/// Access guards for routes (see http::Guard): every route names one.
class Guards {
 public:
  explicit Guards(storage::Database& db) : db_(db) {}

  /// Anyone, signed in or not.
  http::Guard anyone() const;
  /// Any signed-in person (401 otherwise: pages redirect to the login form).
  http::Guard signedIn() const;
  /// A federation admin.
  http::Guard federationAdmin() const;
  /// At least `role` in the association of the path /a/<slug>/…; federation
  /// admins pass too.
  http::Guard association(Role role) const;

 private:
  storage::Database& db_;
};

}  // namespace ruche::auth
