#include "kernel/domain/Profiles.h"

#include <algorithm>
#include <set>

#include "kernel/domain/Taxonomy.h"
#include "kernel/events/Payload.h"
#include "kernel/http/HttpError.h"
#include "kernel/http/Validator.h"

namespace ruche::domain {
namespace {

const std::vector<std::string> kLevels = {"basic", "conversational", "fluent", "native"};

std::string trimmed(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) {
    return "";
  }
  auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

bool blank(const std::string& s) {
  return trimmed(s).empty();
}

// Slugs as typed, trimmed, without blanks or repeats, order kept.
std::vector<std::string> distinctSlugs(const std::vector<std::string>& input) {
  std::vector<std::string> out;
  for (const auto& raw : input) {
    std::string slug = trimmed(raw);
    if (!slug.empty() && std::find(out.begin(), out.end(), slug) == out.end()) {
      out.push_back(slug);
    }
  }
  return out;
}

std::string joinedList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

// Reads one column of strings for an account; `query` is a fixed text with :a.
std::vector<std::string> stringColumn(soci::session& sql, const std::string& query, long long accountId) {
  std::vector<std::string> values;
  std::string value;
  soci::statement st = (sql.prepare << query, soci::use(accountId), soci::into(value));
  st.execute();
  while (st.fetch()) {
    values.push_back(value);
  }
  return values;
}

// The validated, normalised profile and the ids it refers to.
struct Checked {
  Profile profile;
  std::vector<long long> skillIds;
  std::vector<long long> causeIds;
  std::vector<std::pair<int, int>> minutes;  ///< start, end of each slot
};

Checked validate(soci::session& sql, const ProfileInput& input) {
  http::Validator v;
  Checked c;
  Profile& p = c.profile;
  p.displayName = v.text("display_name", input.displayName, 1, 80);
  p.bio = v.optionalText("bio", input.bio, Profiles::kMaxBio);
  p.place = v.optionalText("place", input.place, Profiles::kMaxPlace);
  p.remoteOnly = input.remoteOnly;
  auto hours = v.integer("hours_per_week", input.hoursPerWeek, 0, Profiles::kMaxHoursPerWeek, false);
  p.hoursPerWeek = hours ? static_cast<int>(*hours) : 0;
  p.timezone = v.timeZone("timezone", input.timezone);
  p.locale = v.oneOf("locale", input.locale, {"fr", "en"});

  p.skills = distinctSlugs(input.skills);
  if (auto unknown = unknownSkills(sql, p.skills); !unknown.empty()) {
    v.add("skills", "unknown_skill", "contains skills that are not in the federation's list: " + joinedList(unknown));
  } else {
    c.skillIds = skillIds(sql, p.skills);
  }
  p.causes = distinctSlugs(input.causes);
  if (auto unknown = unknownCauses(sql, p.causes); !unknown.empty()) {
    v.add("causes", "unknown_cause", "contains causes that are not in the federation's list: " + joinedList(unknown));
  } else {
    c.causeIds = causeIds(sql, p.causes);
  }

  std::size_t languageRows = 0;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < input.languages.size(); ++i) {
    const auto& row = input.languages[i];
    if (blank(row.code) && blank(row.level)) {
      continue;
    }
    if (++languageRows > Profiles::kMaxLanguages) {
      v.add("languages", "too_many", "must list at most " + std::to_string(Profiles::kMaxLanguages) + " languages");
      break;
    }
    std::string codeField = Profiles::rowField("languages", i, "code");
    std::size_t before = v.errors().size();
    std::string code = v.language(codeField, row.code);
    if (v.errors().size() == before && !seen.insert(code).second) {
      v.add(codeField, "duplicate", "is already listed above");
    }
    std::string level = v.oneOf(Profiles::rowField("languages", i, "level"), row.level, kLevels);
    p.languages.push_back({code, level});
  }

  std::size_t slotRows = 0;
  for (std::size_t i = 0; i < input.availability.size(); ++i) {
    const auto& row = input.availability[i];
    if (blank(row.weekday) && blank(row.start) && blank(row.end)) {
      continue;
    }
    if (++slotRows > Profiles::kMaxSlots) {
      v.add("availability", "too_many", "must list at most " + std::to_string(Profiles::kMaxSlots) + " time slots");
      break;
    }
    auto weekday = v.integer(Profiles::rowField("availability", i, "weekday"), row.weekday, 0, 6);
    std::string startField = Profiles::rowField("availability", i, "start");
    std::string endField = Profiles::rowField("availability", i, "end");
    int start = parseClock(trimmed(row.start));
    int end = parseClock(trimmed(row.end));
    if (blank(row.start)) {
      v.add(startField, "required", "is required");
    } else if (start < 0 || start > 1439) {
      v.add(startField, "time", "must be a time written HH:MM");
    }
    if (blank(row.end)) {
      v.add(endField, "required", "is required");
    } else if (end < 1) {
      v.add(endField, "time", "must be a time written HH:MM");
    } else if (start >= 0 && start <= 1439 && end <= start) {
      v.add(endField, "time_order", "must be after the start time");
    }
    if (weekday) {
      p.availability.push_back({static_cast<int>(*weekday), formatClock(start), formatClock(end)});
      c.minutes.emplace_back(start, end);
    }
  }
  v.check();
  return c;
}

}  // namespace

int parseClock(const std::string& text) {
  if (text.size() != 5 || text[2] != ':' || !std::isdigit(static_cast<unsigned char>(text[0])) ||
      !std::isdigit(static_cast<unsigned char>(text[1])) || !std::isdigit(static_cast<unsigned char>(text[3])) ||
      !std::isdigit(static_cast<unsigned char>(text[4]))) {
    return -1;
  }
  int hours = (text[0] - '0') * 10 + (text[1] - '0');
  int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) {
    return -1;
  }
  return hours * 60 + minutes;
}

std::string formatClock(int minutes) {
  if (minutes < 0) {
    return "";
  }
  std::string out(5, '0');
  int h = minutes / 60;
  int m = minutes % 60;
  out[0] = static_cast<char>('0' + h / 10);
  out[1] = static_cast<char>('0' + h % 10);
  out[2] = ':';
  out[3] = static_cast<char>('0' + m / 10);
  out[4] = static_cast<char>('0' + m % 10);
  return out;
}

std::string Profiles::rowField(const std::string& group, std::size_t index, const std::string& part) {
  return group + "_" + std::to_string(index) + "_" + part;
}

Profile Profiles::load(long long accountId) {
  storage::Database::Session session(db_);
  soci::session& sql = *session;
  Profile p;
  sql << "SELECT display_name, locale, timezone FROM accounts WHERE id = :a AND deleted_at IS NULL",
      soci::use(accountId), soci::into(p.displayName), soci::into(p.locale), soci::into(p.timezone);
  if (!sql.got_data()) {
    throw http::notFound("No such account.");
  }
  int remote = 0;
  sql << "SELECT bio, place, remote_only, hours_per_week FROM profiles WHERE account_id = :a", soci::use(accountId),
      soci::into(p.bio), soci::into(p.place), soci::into(remote), soci::into(p.hoursPerWeek);
  p.remoteOnly = sql.got_data() && remote != 0;
  p.skills = stringColumn(sql,
                          "SELECT s.slug FROM profile_skills ps JOIN skills s ON s.id = ps.skill_id "
                          "WHERE ps.account_id = :a ORDER BY s.slug",
                          accountId);
  p.causes = stringColumn(sql,
                          "SELECT c.slug FROM profile_causes pc JOIN causes c ON c.id = pc.cause_id "
                          "WHERE pc.account_id = :a ORDER BY c.slug",
                          accountId);
  {
    LanguageSkill row;
    soci::statement st = (sql.prepare << "SELECT language, level FROM profile_languages WHERE account_id = :a "
                                         "ORDER BY language",
                          soci::use(accountId), soci::into(row.code), soci::into(row.level));
    st.execute();
    while (st.fetch()) {
      p.languages.push_back(row);
    }
  }
  {
    int weekday = 0;
    int start = 0;
    int end = 0;
    soci::statement st = (sql.prepare << "SELECT weekday, start_minute, end_minute FROM availability_slots "
                                         "WHERE account_id = :a ORDER BY weekday, start_minute, id",
                          soci::use(accountId), soci::into(weekday), soci::into(start), soci::into(end));
    st.execute();
    while (st.fetch()) {
      p.availability.push_back({weekday, formatClock(start), formatClock(end)});
    }
  }
  return p;
}

void Profiles::save(long long accountId, const ProfileInput& input) {
  Checked c;
  {
    storage::Database::Session session(db_);
    c = validate(*session, input);
  }
  const Profile& p = c.profile;
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    soci::statement account =
        (sql.prepare << "UPDATE accounts SET display_name = :n, locale = :l, timezone = :z "
                        "WHERE id = :a AND deleted_at IS NULL",
         soci::use(p.displayName), soci::use(p.locale), soci::use(p.timezone), soci::use(accountId));
    account.execute(true);
    if (account.get_affected_rows() == 0) {
      throw http::notFound("No such account.");
    }
    int remote = p.remoteOnly ? 1 : 0;
    sql << "INSERT INTO profiles (account_id, bio, place, remote_only, hours_per_week, updated_at) "
           "VALUES (:a, :b, :p, :r, :h, :t) ON CONFLICT (account_id) DO UPDATE SET bio = excluded.bio, "
           "place = excluded.place, remote_only = excluded.remote_only, hours_per_week = excluded.hours_per_week, "
           "updated_at = excluded.updated_at",
        soci::use(accountId), soci::use(p.bio), soci::use(p.place), soci::use(remote), soci::use(p.hoursPerWeek),
        soci::use(now);
    sql << "DELETE FROM profile_skills WHERE account_id = :a", soci::use(accountId);
    for (long long id : c.skillIds) {
      sql << "INSERT INTO profile_skills (account_id, skill_id) VALUES (:a, :s)", soci::use(accountId), soci::use(id);
    }
    sql << "DELETE FROM profile_causes WHERE account_id = :a", soci::use(accountId);
    for (long long id : c.causeIds) {
      sql << "INSERT INTO profile_causes (account_id, cause_id) VALUES (:a, :c)", soci::use(accountId), soci::use(id);
    }
    sql << "DELETE FROM profile_languages WHERE account_id = :a", soci::use(accountId);
    for (const auto& language : p.languages) {
      sql << "INSERT INTO profile_languages (account_id, language, level) VALUES (:a, :c, :l)", soci::use(accountId),
          soci::use(language.code), soci::use(language.level);
    }
    sql << "DELETE FROM availability_slots WHERE account_id = :a", soci::use(accountId);
    for (std::size_t i = 0; i < p.availability.size(); ++i) {
      int weekday = p.availability[i].weekday;
      int start = c.minutes[i].first;
      int end = c.minutes[i].second;
      sql << "INSERT INTO availability_slots (account_id, weekday, start_minute, end_minute) "
             "VALUES (:a, :w, :s, :e)",
          soci::use(accountId), soci::use(weekday), soci::use(start), soci::use(end);
    }
    if (events_ != nullptr) {
      events_->publish(sql, "profile.updated", 0, events::Payload().set("account_id", accountId).json());
    }
  });
}

std::vector<Membership> Profiles::memberships(long long accountId) {
  storage::Database::Session session(db_);
  std::vector<Membership> list;
  Membership row;
  soci::statement st = (session->prepare << "SELECT a.slug, a.name, m.role FROM memberships m "
                                            "JOIN associations a ON a.id = m.association_id "
                                            "WHERE m.account_id = :a ORDER BY a.name, a.id",
                        soci::use(accountId), soci::into(row.slug), soci::into(row.name), soci::into(row.role));
  st.execute();
  while (st.fetch()) {
    list.push_back(row);
  }
  return list;
}

ProfileInput Profiles::toInput(const Profile& profile) {
  ProfileInput in;
  in.displayName = profile.displayName;
  in.bio = profile.bio;
  in.place = profile.place;
  in.remoteOnly = profile.remoteOnly;
  in.hoursPerWeek = std::to_string(profile.hoursPerWeek);
  in.timezone = profile.timezone;
  in.locale = profile.locale;
  in.skills = profile.skills;
  in.causes = profile.causes;
  for (const auto& language : profile.languages) {
    in.languages.push_back({language.code, language.level});
  }
  for (const auto& slot : profile.availability) {
    in.availability.push_back({std::to_string(slot.weekday), slot.start, slot.end});
  }
  return in;
}

}  // namespace ruche::domain
