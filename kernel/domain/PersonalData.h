#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <string>

#include "kernel/storage/Database.h"

namespace ruche::domain {

/// What modules outside the domain (plugins) hold about a person: their
/// parts of the export and their erasure.
class PersonalDataParts {
 public:
  virtual ~PersonalDataParts() = default;
  /// JSON text of an object per module name.
  virtual std::map<std::string, std::string> exportPersonalData(long long accountId, const std::string& email) = 0;
  /// Runs inside the account deletion's transaction.
  virtual void erasePersonalData(long long accountId, const std::string& email) = 0;
};

/// The person's rights over their data (GDPR articles 15, 17 and 20): a copy
/// of everything Ruche holds about them, and erasure of their account.
class PersonalData {
 public:
  /// What a deleted account's display name becomes: neutral in every language.
  static constexpr const char* kDeletedName = "—";

  /// `parts`: the plugins' parts, exported under "plugins" and erased with the account.
  explicit PersonalData(storage::Database& db, PersonalDataParts* parts = nullptr) : db_(db), parts_(parts) {}

  /// Account, profile, memberships, applications with their history, hours,
  /// feedback given and received, API tokens (names only, never secrets).
  /// Times are ISO 8601 UTC. 404 when the account does not exist or was deleted.
  Poco::JSON::Object::Ptr exportJson(long long accountId);

  /// `exportJson` as indented text, ready to download.
  std::string exportText(long long accountId);

  /// Erases the person in one transaction. Their account row stays, emptied
  /// (no e-mail, no password, neutral name, deleted_at set), so the
  /// association's records keep their shape: applications, hours and feedback
  /// stay without the person's identity and free texts; open applications are
  /// withdrawn. Profile, skills, causes, languages, availability, memberships,
  /// sessions, API tokens and e-mail tokens are deleted. The e-mail address
  /// can sign up again. 404 when already deleted.
  void deleteAccount(long long accountId);

 private:
  storage::Database& db_;
  PersonalDataParts* parts_;
};

}  // namespace ruche::domain
