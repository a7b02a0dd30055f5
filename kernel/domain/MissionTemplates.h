#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/domain/Missions.h"
#include "kernel/storage/Database.h"

namespace ruche::domain {

/// A federation-wide starting point for a mission ("Accueil d'un événement",
/// "Relecture de document"…): coordinators pick one to prefill the new-mission form.
struct MissionTemplate {
  long long id = 0;
  std::string title;
  std::string description;
  std::string kind;  ///< micro | regular | event
  std::string mode;  ///< remote | onsite | hybrid
  int durationMinutes = 0;
  long long createdAt = 0;
};

/// What a federation admin fills in; validated like a mission's same fields.
struct MissionTemplateInput {
  std::string title;
  std::string description;
  std::string kind;
  std::string mode;
  std::string durationMinutes;  ///< as typed
};

/// The federation's mission templates (table mission_templates).
class MissionTemplates {
 public:
  explicit MissionTemplates(storage::Database& db) : db_(db) {}

  /// Every template, by title.
  std::vector<MissionTemplate> list();
  std::optional<MissionTemplate> byId(long long id);
  /// Throws http::HttpError 422 with field errors (title, description, kind,
  /// mode, duration_minutes) on invalid input.
  long long create(const MissionTemplateInput& input);
  /// Same validation as create; false when no template has this id.
  bool update(long long id, const MissionTemplateInput& input);
  /// Deletes the template (missions made from it keep their own copy of the
  /// fields); false when no template has this id.
  bool remove(long long id);

  /// A mission form prefilled from the template; the coordinator completes it.
  static MissionInput instantiate(const MissionTemplate& missionTemplate);

 private:
  storage::Database& db_;
};

}  // namespace ruche::domain
