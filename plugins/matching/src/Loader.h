// Reads volunteers and missions from the kernel's tables into the ranking
// core's types: the whole federation (index built at start) or one of each
// (a change replayed from the change log). One query per table, never one
// per person.
#pragma once

#include <ruche/sdk/Database.h>
#include <vector>

#include "matching/Model.h"

namespace matching::plugin {

/// The zone of missions (the kernel stores none for missions or
/// associations): their schedules are read in Paris time.
inline constexpr const char* kMissionZone = "Europe/Paris";

/// Every live account with a profile as a volunteer (`onlyId` 0), or just
/// that one (empty when deleted or without a profile: nothing to match on;
/// saving the profile publishes profile.updated). Availability is converted with the person's own time zone
/// (accounts.timezone) at `now`.
std::vector<Volunteer> loadVolunteers(ruche::sdk::Database& db, long long onlyId, long long now);

/// Every published mission (`onlyId` 0), or just that one if published.
std::vector<Mission> loadMissions(ruche::sdk::Database& db, long long onlyId, long long now);

}  // namespace matching::plugin
