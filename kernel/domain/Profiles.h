#pragma once

#include <string>
#include <vector>

#include "kernel/events/EventBus.h"
#include "kernel/storage/Database.h"

namespace ruche::domain {

/// A language the person speaks, and how well.
struct LanguageSkill {
  std::string code;   ///< ISO 639-1, e.g. "fr"
  std::string level;  ///< basic | conversational | fluent | native
};

/// A weekly time window in the person's own time zone.
struct AvailabilitySlot {
  int weekday = 0;    ///< 0 = Monday … 6 = Sunday
  std::string start;  ///< "HH:MM"
  std::string end;    ///< "HH:MM", after start ("24:00" allowed for midnight)
};

/// Everything a volunteer tells Ruche about themself, as stored.
struct Profile {
  std::string displayName;
  std::string bio;
  std::string place;
  bool remoteOnly = false;
  int hoursPerWeek = 0;
  std::string timezone = "Europe/Paris";
  std::string locale = "fr";
  std::vector<std::string> skills;  ///< slugs of the federation's skills list
  std::vector<std::string> causes;  ///< slugs of the federation's causes list
  std::vector<LanguageSkill> languages;
  std::vector<AvailabilitySlot> availability;
};

/// One row of languages as typed: both texts empty means "no row".
struct LanguageInput {
  std::string code;
  std::string level;
};

/// One row of availability as typed: all three texts empty means "no row".
struct SlotInput {
  std::string weekday;
  std::string start;
  std::string end;
};

/// A profile as it arrives from a form or the API, not yet validated. Rows
/// keep their position so errors name the field the person sees
/// ("languages_1_level" is the level of the second row).
struct ProfileInput {
  std::string displayName;
  std::string bio;
  std::string place;
  bool remoteOnly = false;
  std::string hoursPerWeek;
  std::string timezone;
  std::string locale;
  std::vector<std::string> skills;
  std::vector<std::string> causes;
  std::vector<LanguageInput> languages;
  std::vector<SlotInput> availability;
};

/// An association the person belongs to, and their role there.
struct Membership {
  std::string slug;
  std::string name;
  std::string role;  ///< admin | coordinator | volunteer
};

/// Reads and writes volunteers' profiles (profiles, accounts' name, locale and
/// time zone, skills, causes, languages, availability).
class Profiles {
 public:
  static constexpr std::size_t kMaxBio = 1000;
  static constexpr std::size_t kMaxPlace = 120;
  static constexpr int kMaxHoursPerWeek = 60;
  static constexpr std::size_t kMaxLanguages = 10;
  static constexpr std::size_t kMaxSlots = 21;

  /// With `events`, a saved profile publishes profile.updated (federation
  /// wide, association 0, payload account_id) in the saving transaction.
  explicit Profiles(storage::Database& db, events::EventBus* events = nullptr) : db_(db), events_(events) {}

  /// The stored profile; 404 when the account does not exist or was deleted.
  Profile load(long long accountId);

  /// Validates every field (422 listing all problems, nothing written) and
  /// replaces the whole profile in one transaction.
  void save(long long accountId, const ProfileInput& input);

  /// The associations the person belongs to, by name (for their own space).
  std::vector<Membership> memberships(long long accountId);

  /// The form-shaped view of a stored profile (to fill a form with it).
  static ProfileInput toInput(const Profile& profile);

  /// Field name of a repeated row's part, as used by forms and errors:
  /// rowField("languages", 1, "level") == "languages_1_level".
  static std::string rowField(const std::string& group, std::size_t index, const std::string& part);

 private:
  storage::Database& db_;
  events::EventBus* events_;
};

/// "HH:MM" → minutes since midnight; -1 if malformed. "24:00" gives 1440.
int parseClock(const std::string& text);
/// Minutes since midnight → "HH:MM".
std::string formatClock(int minutes);

}  // namespace ruche::domain
