#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/events/EventBus.h"
#include "kernel/storage/Database.h"

namespace ruche::domain {

/// An association (tenant) of the federation.
struct Association {
  long long id = 0;
  std::string slug;
  std::string name;
  std::string description;
  std::string logoUrl;
  std::string contactEmail;
  std::string contactPhone;
  std::string place;
  std::string charter;  ///< the volunteer charter text volunteers sign
  long long createdAt = 0;
};

/// Fields an admin may set; validated by Associations (422 with field errors).
struct AssociationInput {
  std::string slug;
  std::string name;
  std::string description;
  std::string logoUrl;
  std::string contactEmail;
  std::string contactPhone;
  std::string place;
  std::string charter;
};

/// One member of an association and their role.
struct Member {
  long long accountId = 0;
  std::string displayName;
  std::string email;
  std::string role;  ///< admin | coordinator | volunteer
};

class Associations {
 public:
  /// With `events`, granting or revoking a role publishes membership.changed
  /// (payload account_id, role; "" once revoked) in that transaction.
  explicit Associations(storage::Database& db, events::EventBus* events = nullptr) : db_(db), events_(events) {}

  /// Throws http::HttpError 422 (fields) on invalid input or a taken slug.
  long long create(const AssociationInput& input);
  void update(long long id, const AssociationInput& input);
  std::optional<Association> bySlug(const std::string& slug);
  std::optional<Association> byId(long long id);
  std::vector<Association> list();

  /// Sets (or replaces) the account's role; role is admin|coordinator|volunteer.
  void grantRole(long long associationId, long long accountId, const std::string& role);
  void revokeRole(long long associationId, long long accountId);
  std::vector<Member> members(long long associationId);

 private:
  storage::Database& db_;
  events::EventBus* events_;
};

}  // namespace ruche::domain
