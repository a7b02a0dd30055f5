#include "kernel/auth/Roles.h"

#include "kernel/http/HttpError.h"

namespace ruche::auth {
namespace {

void requireSignedIn(const http::Request& request) {
  if (!request.visitor.signedIn()) {
    throw http::HttpError(401, "Unauthorized", "Sign in to continue.");
  }
}

}  // namespace

std::string roleName(Role role) {
  switch (role) {
    case Role::Admin:
      return "admin";
    case Role::Coordinator:
      return "coordinator";
    case Role::Volunteer:
      return "volunteer";
  }
  return "volunteer";
}

std::optional<Role> parseRole(const std::string& name) {
  if (name == "admin") {
    return Role::Admin;
  }
  if (name == "coordinator") {
    return Role::Coordinator;
  }
  if (name == "volunteer") {
    return Role::Volunteer;
  }
  return std::nullopt;
}

std::optional<Role> roleIn(soci::session& sql, long long accountId, long long associationId) {
  std::string role;
  sql << "SELECT role FROM memberships WHERE account_id = :a AND association_id = :s", soci::use(accountId),
      soci::use(associationId), soci::into(role);
  if (!sql.got_data()) {
    return std::nullopt;
  }
  return parseRole(role);
}

http::Guard Guards::anyone() const {
  return {"public", [](const http::Request&) {}};
}

http::Guard Guards::signedIn() const {
  return {"signed-in", requireSignedIn};
}

http::Guard Guards::federationAdmin() const {
  return {"federation-admin", [](const http::Request& request) {
            requireSignedIn(request);
            if (!request.visitor.federationAdmin) {
              throw http::forbidden("Only federation admins may do this.");
            }
          }};
}

http::Guard Guards::association(Role role) const {
  storage::Database* db = &db_;
  return {"association:" + roleName(role), [db, role](const http::Request& request) {
            requireSignedIn(request);
            if (!request.association) {
              throw http::forbidden("This page belongs to no association.");
            }
            if (request.visitor.federationAdmin) {
              return;
            }
            storage::Database::Session session(*db);
            auto actual = roleIn(*session, request.visitor.accountId, request.association->id);
            if (!actual || static_cast<int>(*actual) < static_cast<int>(role)) {
              throw http::forbidden("You need the " + roleName(role) + " role in " + request.association->name + ".");
            }
          }};
}

}  // namespace ruche::auth
