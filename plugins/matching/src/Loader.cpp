#include "Loader.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "Places.h"
#include "Rules.h"

namespace matching::plugin {
namespace {

using ruche::sdk::Database;
using ruche::sdk::Value;

/// Runs `sql` (whose text ends where an optional "AND <column> = ?" goes)
/// narrowed to `onlyId` when it is not 0.
ruche::sdk::Rows select(Database& db, std::string sql, const std::string& column, long long onlyId,
                        const std::string& tail = "") {
  std::vector<Value> params;
  if (onlyId != 0) {
    sql += " AND " + column + " = ?";
    params.emplace_back(onlyId);
  }
  return db.query(sql + tail, params);
}

template <typename Item>
Item* find(std::unordered_map<long long, std::size_t>& at, std::vector<Item>& items, long long id) {
  auto it = at.find(id);
  return it == at.end() ? nullptr : &items[it->second];
}

/// A reach typed by a person: whole kilometres, 1..1000; anything else 0
/// (the core's default reach).
int reachKmOf(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ' ' && !(digits.size() > 0 && (c == 'k' || c == 'm' || c == 'K' || c == 'M'))) {
      return 0;
    }
  }
  if (digits.empty() || digits.size() > 4) {
    return 0;
  }
  int km = std::stoi(digits);
  return km >= 1 && km <= 1000 ? km : 0;
}

}  // namespace

std::vector<Volunteer> loadVolunteers(Database& db, long long onlyId, long long now) {
  std::vector<Volunteer> people;
  std::unordered_map<long long, std::size_t> at;
  std::unordered_map<long long, int> offsets;
  for (const auto& row : select(db,
                                "SELECT a.id, a.timezone, p.place FROM accounts a "
                                "JOIN profiles p ON p.account_id = a.id WHERE a.deleted_at IS NULL",
                                "a.id", onlyId)) {
    Volunteer v;
    v.id = row["id"].asInt();
    v.remoteOk = true;
    v.place = locatePlace(row["place"].asString());  // unknown town: no distance filter
    offsets[v.id] = utcOffsetMinutesFor(row["timezone"].asString(), now);
    at[v.id] = people.size();
    people.push_back(std::move(v));
  }
  if (people.empty()) {
    return people;
  }
  for (const auto& row :
       select(db, "SELECT account_id, skill_id FROM profile_skills WHERE 1 = 1", "account_id", onlyId)) {
    if (auto* v = find(at, people, row["account_id"].asInt())) {
      v->skills.push_back(static_cast<int>(row["skill_id"].asInt()));
    }
  }
  for (const auto& row :
       select(db, "SELECT account_id, cause_id FROM profile_causes WHERE 1 = 1", "account_id", onlyId)) {
    if (auto* v = find(at, people, row["account_id"].asInt())) {
      v->causes.push_back(static_cast<int>(row["cause_id"].asInt()));
    }
  }
  for (const auto& row :
       select(db, "SELECT account_id, language, level FROM profile_languages WHERE 1 = 1", "account_id", onlyId)) {
    int id = rules::languageId(row["language"].asString());
    int level = rules::languageLevel(row["level"].asString());
    if (auto* v = find(at, people, row["account_id"].asInt()); v != nullptr && id != 0 && level != 0) {
      v->languages.push_back({id, level});
    }
  }
  for (const auto& row : select(db,
                                "SELECT account_id, weekday, start_minute, end_minute FROM availability_slots "
                                "WHERE 1 = 1",
                                "account_id", onlyId)) {
    long long id = row["account_id"].asInt();
    if (auto* v = find(at, people, id)) {
      v->availability |= WeekMask::fromLocalSlot(static_cast<int>(row["weekday"].asInt()),
                                                 static_cast<int>(row["start_minute"].asInt()),
                                                 static_cast<int>(row["end_minute"].asInt()), offsets[id]);
    }
  }
  // The plugin's own profile field (stored by the kernel): how far the person goes.
  for (const auto& row : select(db,
                                "SELECT account_id, field_value FROM plugin_profile_values "
                                "WHERE plugin = 'matching' AND field_key = 'reach_km'",
                                "account_id", onlyId)) {
    if (auto* v = find(at, people, row["account_id"].asInt())) {
      v->maxDistanceKm = reachKmOf(row["field_value"].asString());
    }
  }
  for (const auto& row :
       select(db, "SELECT account_id, association_id FROM memberships WHERE 1 = 1", "account_id", onlyId)) {
    if (auto* v = find(at, people, row["account_id"].asInt())) {
      v->associations.push_back(row["association_id"].asInt());
    }
  }
  for (const auto& row : select(db,
                                "SELECT account_id, COUNT(*) AS n FROM applications "
                                "WHERE status = 'completed' AND account_id IS NOT NULL",
                                "account_id", onlyId, " GROUP BY account_id")) {
    if (auto* v = find(at, people, row["account_id"].asInt())) {
      v->completedMissions = static_cast<int>(row["n"].asInt());
    }
  }
  for (const auto& row : select(db,
                                "SELECT ap.account_id, SUM(f.rating) AS total, COUNT(*) AS n FROM feedback f "
                                "JOIN applications ap ON ap.id = f.application_id "
                                "WHERE f.direction = 'from_association' AND ap.account_id IS NOT NULL",
                                "ap.account_id", onlyId, " GROUP BY ap.account_id")) {
    long long n = row["n"].asInt();
    if (auto* v = find(at, people, row["account_id"].asInt()); v != nullptr && n > 0) {
      v->feedback = static_cast<double>(row["total"].asInt()) / static_cast<double>(n);
    }
  }
  for (auto& v : people) {
    std::sort(v.skills.begin(), v.skills.end());
    std::sort(v.causes.begin(), v.causes.end());
    std::sort(v.associations.begin(), v.associations.end());
  }
  return people;
}

std::vector<Mission> loadMissions(Database& db, long long onlyId, long long now) {
  std::vector<Mission> missions;
  std::unordered_map<long long, std::size_t> at;
  int offset = utcOffsetMinutesFor(kMissionZone, now);
  for (const auto& row :
       select(db,
              "SELECT id, association_id, mode, place, starts_on, schedule, places_available FROM missions "
              "WHERE status = 'published'",
              "id", onlyId)) {
    Mission m;
    m.id = row["id"].asInt();
    m.associationId = row["association_id"].asInt();
    m.remote = row["mode"].asString() != "onsite";
    m.place = locatePlace(row["place"].asString());
    m.startsAt = rules::dayStart(row["starts_on"].asString());
    m.schedule = rules::parseSchedule(row["schedule"].asString(), offset);
    m.utcOffsetMinutes = offset;
    m.placesLeft = static_cast<int>(row["places_available"].asInt());
    m.open = true;
    at[m.id] = missions.size();
    missions.push_back(std::move(m));
  }
  if (missions.empty()) {
    return missions;
  }
  for (const auto& row :
       select(db, "SELECT mission_id, skill_id FROM mission_skills WHERE 1 = 1", "mission_id", onlyId)) {
    if (auto* m = find(at, missions, row["mission_id"].asInt())) {
      m->skills.push_back(static_cast<int>(row["skill_id"].asInt()));
    }
  }
  for (const auto& row :
       select(db, "SELECT mission_id, cause_id FROM mission_causes WHERE 1 = 1", "mission_id", onlyId)) {
    if (auto* m = find(at, missions, row["mission_id"].asInt())) {
      m->causes.push_back(static_cast<int>(row["cause_id"].asInt()));
    }
  }
  for (const auto& row :
       select(db, "SELECT mission_id, language, required FROM mission_languages WHERE 1 = 1", "mission_id", onlyId)) {
    int id = rules::languageId(row["language"].asString());
    auto* m = find(at, missions, row["mission_id"].asInt());
    if (m == nullptr || id == 0) {
      continue;
    }
    if (row["required"].asInt() != 0) {
      m->requiredLanguages.push_back({id, rules::kRequiredLevel});
    } else {
      m->optionalLanguages.push_back(id);
    }
  }
  // Places taken: people active on the mission or done with it.
  for (const auto& row : select(db,
                                "SELECT mission_id, COUNT(*) AS n FROM applications "
                                "WHERE status IN ('active', 'completed')",
                                "mission_id", onlyId, " GROUP BY mission_id")) {
    if (auto* m = find(at, missions, row["mission_id"].asInt())) {
      m->placesLeft = std::max(0, m->placesLeft - static_cast<int>(row["n"].asInt()));
    }
  }
  for (auto& m : missions) {
    std::sort(m.skills.begin(), m.skills.end());
    std::sort(m.causes.begin(), m.causes.end());
    m.open = m.placesLeft > 0;
  }
  return missions;
}

}  // namespace matching::plugin
