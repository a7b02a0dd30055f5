#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/events/EventBus.h"
#include "kernel/http/Validator.h"
#include "kernel/storage/Database.h"

namespace ruche::domain {

/// A language a mission uses; `required` ones exclude people who lack them.
struct MissionLanguage {
  std::string language;  ///< ISO 639-1
  bool required = false;
};

/// A mission as shown on pages and in the API.
struct Mission {
  long long id = 0;
  long long associationId = 0;
  std::string associationSlug;
  std::string associationName;
  std::string title;
  std::string description;
  std::string kind;  ///< micro | regular | event
  std::string mode;  ///< remote | onsite | hybrid
  std::string place;
  std::string startsOn;  ///< YYYY-MM-DD or ""
  std::string endsOn;    ///< YYYY-MM-DD or ""
  std::string schedule;  ///< free text, e.g. "mardis 18h-20h"
  int durationMinutes = 0;
  int placesAvailable = 1;
  long long referentAccountId = 0;          ///< 0: none
  std::string status;                       ///< draft | published | closed
  std::vector<std::string> requiredSkills;  ///< skill slugs
  std::vector<std::string> niceSkills;      ///< skill slugs
  std::vector<std::string> causes;          ///< cause slugs
  std::vector<MissionLanguage> languages;
  long long createdAt = 0;
  long long updatedAt = 0;
};

/// What a coordinator fills in; every field validated (422 with field names
/// equal to the members' snake_case names: title, description, kind, mode,
/// place, starts_on, ends_on, schedule, duration_minutes, places_available,
/// required_skills, nice_skills, causes, languages, referent_account_id).
struct MissionInput {
  std::string title;
  std::string description;
  std::string kind;
  std::string mode;
  std::string place;
  std::string startsOn;
  std::string endsOn;
  std::string schedule;
  std::string durationMinutes;  ///< as typed; validated into a number
  std::string placesAvailable;
  std::string referentAccountId;
  std::vector<std::string> requiredSkills;
  std::vector<std::string> niceSkills;
  std::vector<std::string> causes;
  std::vector<MissionLanguage> languages;
};

/// Search filters of /missions and GET /api/v1/missions. Only published
/// missions are found.
struct MissionQuery {
  std::string text;         ///< words in title or description
  std::string skill;        ///< skill slug
  std::string cause;        ///< cause slug
  std::string association;  ///< association slug
  std::string mode;         ///< remote | onsite | hybrid, "" = any
  bool remoteOnly = false;  ///< remote or hybrid
  std::string from;         ///< starts on or after (YYYY-MM-DD), or no date
  int page = 1;             ///< 1-based
  int perPage = 20;         ///< 1..100
};

struct MissionPage {
  std::vector<Mission> missions;
  long long total = 0;
  int page = 1;
  int perPage = 20;
};

/// The stored mission as form input, so an edit form or a PATCH starts from it.
MissionInput inputOf(const Mission& mission);

/// Adds a field error (code "choice") for each search filter naming an
/// unknown skill, cause, association or mode; pages and the API share it.
void checkFilters(soci::session& sql, http::Validator& v, const MissionQuery& query);

class Missions {
 public:
  /// With `events`, a mission that becomes published publishes
  /// mission.published, an edited one mission.updated and a closed one
  /// mission.closed, each in the same transaction as the change.
  explicit Missions(storage::Database& db, events::EventBus* events = nullptr) : db_(db), events_(events) {}

  /// Creates a draft (or published when `publish`); 422 on invalid input.
  long long create(long long associationId, long long createdBy, const MissionInput& input, bool publish);
  void update(long long missionId, const MissionInput& input);
  /// draft → published → closed; a closed mission takes no applications.
  void setStatus(long long missionId, const std::string& status);
  std::optional<Mission> byId(long long missionId);
  MissionPage search(const MissionQuery& query);
  /// Every mission of an association, any status, newest first.
  std::vector<Mission> ofAssociation(long long associationId);
  /// Bumped whenever any mission changes; keys the anonymous page cache.
  static unsigned long long generation();
  /// Bumps the generation for changes that show on mission pages without
  /// being missions (a skill or cause added or renamed).
  static void touch();
  /// Computes the search text of missions written without it (older
  /// versions, bulk imports such as the demo); run at start. Returns how many.
  int fillSearchText();

 private:
  void published(soci::session& sql, long long missionId, long long associationId);

  storage::Database& db_;
  events::EventBus* events_;
};

}  // namespace ruche::domain
