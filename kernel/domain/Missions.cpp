#include "kernel/domain/Missions.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <functional>
#include <tuple>

#include "kernel/auth/Roles.h"
#include "kernel/domain/SearchText.h"
#include "kernel/domain/Taxonomy.h"
#include "kernel/events/Payload.h"
#include "kernel/http/HttpError.h"
#include "kernel/http/Validator.h"

namespace ruche::domain {
namespace {

std::atomic<unsigned long long> missionsGeneration{1};

const std::vector<std::string> kKinds = {"micro", "regular", "event"};
const std::vector<std::string> kModes = {"remote", "onsite", "hybrid"};

// A micro mission is a short task done in one go. The product note says 15–30
// minutes; we accept 5–60 so coordinators are not blocked by a rough estimate.
constexpr long long kMicroMinMinutes = 5;
constexpr long long kMicroMaxMinutes = 60;
constexpr std::size_t kMaxListItems = 30;

/// Input once every field has been checked and converted.
struct CleanMission {
  std::string title;
  std::string description;
  std::string kind;
  std::string mode;
  std::string place;
  std::string startsOn;
  std::string endsOn;
  std::string schedule;
  int durationMinutes = 0;
  int placesAvailable = 1;
  long long referent = 0;
  std::vector<long long> requiredSkillIds;
  std::vector<long long> niceSkillIds;
  std::vector<long long> causeIds;
  std::vector<MissionLanguage> languages;
};

std::vector<std::string> uniqueTrimmed(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    auto begin = item.find_first_not_of(" \t");
    if (begin == std::string::npos) {
      continue;
    }
    std::string t = item.substr(begin, item.find_last_not_of(" \t") - begin + 1);
    if (std::find(out.begin(), out.end(), t) == out.end()) {
      out.push_back(t);
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

CleanMission validate(soci::session& sql, long long associationId, const MissionInput& input) {
  http::Validator v;
  CleanMission m;
  m.title = v.text("title", input.title, 3, 120);
  m.description = v.text("description", input.description, 10, 5000);
  m.kind = v.oneOf("kind", input.kind, kKinds);
  m.mode = v.oneOf("mode", input.mode, kModes);
  m.place = v.text("place", input.place, m.mode == "remote" ? 0 : 1, 120);
  m.startsOn = v.date("starts_on", input.startsOn, false);
  m.endsOn = v.date("ends_on", input.endsOn, false);
  bool datesOk = v.ok() || std::none_of(v.errors().begin(), v.errors().end(), [](const http::FieldError& e) {
                   return e.field == "starts_on" || e.field == "ends_on";
                 });
  if (datesOk && !m.endsOn.empty()) {
    if (m.startsOn.empty()) {
      v.add("starts_on", "required", "is required when ends_on is given");
    } else if (m.endsOn < m.startsOn) {
      v.add("ends_on", "date_order", "must be on or after starts_on");
    }
  }
  m.schedule = v.optionalText("schedule", input.schedule, 200);
  auto duration = v.integer("duration_minutes", input.durationMinutes, 0, 10000, m.kind == "micro");
  m.durationMinutes = static_cast<int>(duration.value_or(0));
  if (m.kind == "micro" && duration && (*duration < kMicroMinMinutes || *duration > kMicroMaxMinutes)) {
    v.add("duration_minutes", "micro_duration", "must be between 5 and 60 minutes for a micro mission");
  }
  auto places = v.integer("places_available", input.placesAvailable, 1, 1000, false);
  m.placesAvailable = static_cast<int>(places.value_or(1));

  auto required = uniqueTrimmed(input.requiredSkills);
  auto nice = uniqueTrimmed(input.niceSkills);
  // A skill both required and nice to have is required.
  nice.erase(std::remove_if(nice.begin(), nice.end(),
                            [&](const std::string& s) {
                              return std::find(required.begin(), required.end(), s) != required.end();
                            }),
             nice.end());
  auto causes = uniqueTrimmed(input.causes);
  if (required.size() > kMaxListItems) {
    v.add("required_skills", "too_many", "must have at most 30 entries");
  } else if (auto unknown = unknownSkills(sql, required); !unknown.empty()) {
    v.add("required_skills", "unknown_skill", "unknown skills: " + joined(unknown));
  }
  if (nice.size() > kMaxListItems) {
    v.add("nice_skills", "too_many", "must have at most 30 entries");
  } else if (auto unknown = unknownSkills(sql, nice); !unknown.empty()) {
    v.add("nice_skills", "unknown_skill", "unknown skills: " + joined(unknown));
  }
  if (causes.size() > kMaxListItems) {
    v.add("causes", "too_many", "must have at most 30 entries");
  } else if (auto unknown = unknownCauses(sql, causes); !unknown.empty()) {
    v.add("causes", "unknown_cause", "unknown causes: " + joined(unknown));
  }

  std::size_t before = v.errors().size();
  for (const auto& language : input.languages) {
    std::string code = v.language("languages", language.language);
    if (v.errors().size() != before) {
      break;  // one message for the field is enough
    }
    auto same = std::find_if(m.languages.begin(), m.languages.end(),
                             [&](const MissionLanguage& l) { return l.language == code; });
    if (same == m.languages.end()) {
      m.languages.push_back({code, language.required});
    } else {
      same->required = same->required || language.required;
    }
  }
  if (v.errors().size() == before && m.languages.size() > 10) {
    v.add("languages", "too_many", "must have at most 10 languages");
  }

  auto referent = v.integer("referent_account_id", input.referentAccountId, 1, 9223372036854775807LL, false);
  if (referent) {
    if (!auth::roleIn(sql, *referent, associationId)) {
      v.add("referent_account_id", "not_member", "must be a member of the association");
    } else {
      m.referent = *referent;
    }
  }
  v.check();
  m.requiredSkillIds = skillIds(sql, required);
  m.niceSkillIds = skillIds(sql, nice);
  m.causeIds = causeIds(sql, causes);
  return m;
}

void writeChildren(soci::session& sql, long long missionId, const CleanMission& m) {
  sql << "DELETE FROM mission_skills WHERE mission_id = :m", soci::use(missionId);
  sql << "DELETE FROM mission_causes WHERE mission_id = :m", soci::use(missionId);
  sql << "DELETE FROM mission_languages WHERE mission_id = :m", soci::use(missionId);
  for (int requiredFlag : {1, 0}) {
    for (long long skill : requiredFlag == 1 ? m.requiredSkillIds : m.niceSkillIds) {
      sql << "INSERT INTO mission_skills (mission_id, skill_id, required) VALUES (:m, :s, :r)", soci::use(missionId),
          soci::use(skill), soci::use(requiredFlag);
    }
  }
  for (long long cause : m.causeIds) {
    sql << "INSERT INTO mission_causes (mission_id, cause_id) VALUES (:m, :c)", soci::use(missionId), soci::use(cause);
  }
  for (const auto& language : m.languages) {
    int requiredFlag = language.required ? 1 : 0;
    sql << "INSERT INTO mission_languages (mission_id, language, required) VALUES (:m, :l, :r)", soci::use(missionId),
        soci::use(language.language), soci::use(requiredFlag);
  }
}

// Columns every mission query selects, in the order `readRow` binds them.
const char* const kColumns =
    "m.id, m.association_id, a.slug, a.name, m.title, m.description, m.kind, m.mode, m.place, m.starts_on, "
    "m.ends_on, m.schedule, m.duration_minutes, m.places_available, m.referent_account_id, m.status, "
    "m.created_at, m.updated_at";
const char* const kFrom = " FROM missions m JOIN associations a ON a.id = m.association_id";

/// Binding targets of one row of kColumns.
struct RowTarget {
  Mission mission;
  long long referent = 0;
  soci::indicator referentInd = soci::i_ok;

  void exchange(soci::statement& st) {
    st.exchange(soci::into(mission.id));
    st.exchange(soci::into(mission.associationId));
    st.exchange(soci::into(mission.associationSlug));
    st.exchange(soci::into(mission.associationName));
    st.exchange(soci::into(mission.title));
    st.exchange(soci::into(mission.description));
    st.exchange(soci::into(mission.kind));
    st.exchange(soci::into(mission.mode));
    st.exchange(soci::into(mission.place));
    st.exchange(soci::into(mission.startsOn));
    st.exchange(soci::into(mission.endsOn));
    st.exchange(soci::into(mission.schedule));
    st.exchange(soci::into(mission.durationMinutes));
    st.exchange(soci::into(mission.placesAvailable));
    st.exchange(soci::into(referent, referentInd));
    st.exchange(soci::into(mission.status));
    st.exchange(soci::into(mission.createdAt));
    st.exchange(soci::into(mission.updatedAt));
  }
  Mission take() const {
    Mission m = mission;
    m.referentAccountId = referentInd == soci::i_null ? 0 : referent;
    return m;
  }
};

/// Runs `sqlText` with what `bindParameters` binds and returns the missions
/// it selects (kColumns first).
std::vector<Mission> selectMissions(soci::session& sql, const std::string& sqlText,
                                    const std::function<void(soci::statement&)>& bindParameters) {
  std::vector<Mission> out;
  RowTarget row;
  soci::statement st(sql);
  row.exchange(st);
  bindParameters(st);
  st.alloc();
  st.prepare(sqlText);
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    out.push_back(row.take());
  }
  return out;
}

/// With `params` bound in order (each placeholder named once).
std::vector<Mission> selectMissions(soci::session& sql, const std::string& sqlText,
                                    const std::vector<std::string>& params) {
  return selectMissions(sql, sqlText, [&params](soci::statement& st) {
    for (const auto& param : params) {
      st.exchange(soci::use(param));
    }
  });
}

/// The same with one id bound, for "WHERE … = :id" queries.
std::vector<Mission> selectMissions(soci::session& sql, const std::string& sqlText, long long id) {
  return selectMissions(sql, sqlText, [&id](soci::statement& st) { st.exchange(soci::use(id)); });
}

/// Fills skills, causes and languages of `missions` with three queries.
void loadDetails(soci::session& sql, std::vector<Mission>& missions) {
  if (missions.empty()) {
    return;
  }
  std::vector<long long> ids;
  std::string list;
  for (std::size_t i = 0; i < missions.size(); ++i) {
    ids.push_back(missions[i].id);
    list += (i == 0 ? ":i" : ", :i") + std::to_string(i);
  }
  auto find = [&](long long id) -> Mission* {
    for (auto& m : missions) {
      if (m.id == id) {
        return &m;
      }
    }
    return nullptr;
  };
  auto run = [&](const std::string& text, const std::function<void(long long, const std::string&, int)>& take) {
    long long missionId = 0;
    std::string value;
    int flag = 0;
    std::vector<long long> idValues = ids;
    soci::statement st(sql);
    st.exchange(soci::into(missionId));
    st.exchange(soci::into(value));
    st.exchange(soci::into(flag));
    for (auto& id : idValues) {
      st.exchange(soci::use(id));
    }
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {
      take(missionId, value, flag);
    }
  };
  run("SELECT ms.mission_id, s.slug, ms.required FROM mission_skills ms JOIN skills s ON s.id = ms.skill_id "
      "WHERE ms.mission_id IN (" +
          list + ") ORDER BY s.slug",
      [&](long long id, const std::string& slug, int required) {
        if (Mission* m = find(id)) {
          (required != 0 ? m->requiredSkills : m->niceSkills).push_back(slug);
        }
      });
  run("SELECT mc.mission_id, c.slug, 0 FROM mission_causes mc JOIN causes c ON c.id = mc.cause_id "
      "WHERE mc.mission_id IN (" +
          list + ") ORDER BY c.slug",
      [&](long long id, const std::string& slug, int) {
        if (Mission* m = find(id)) {
          m->causes.push_back(slug);
        }
      });
  run("SELECT mission_id, language, required FROM mission_languages WHERE mission_id IN (" + list +
          ") ORDER BY required DESC, language",
      [&](long long id, const std::string& language, int required) {
        if (Mission* m = find(id)) {
          m->languages.push_back({language, required != 0});
        }
      });
}

// LIKE pattern matching `text` anywhere; its own % _ and \ are escaped.
std::string containsPattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "%";
}

}  // namespace

long long Missions::create(long long associationId, long long createdBy, const MissionInput& input, bool publish) {
  long long id = 0;
  db_.transaction([&](soci::session& sql) {
    CleanMission m = validate(sql, associationId, input);
    long long now = storage::nowSeconds();
    std::string status = publish ? "published" : "draft";
    long long referent = m.referent;
    soci::indicator referentInd = m.referent == 0 ? soci::i_null : soci::i_ok;
    long long creator = createdBy;
    soci::indicator creatorInd = createdBy == 0 ? soci::i_null : soci::i_ok;
    std::string searchText = foldForSearch(m.title + "\n" + m.description);
    sql << "INSERT INTO missions (association_id, title, description, kind, mode, place, starts_on, ends_on, "
           "schedule, duration_minutes, places_available, referent_account_id, status, created_by, created_at, "
           "updated_at, search_text) VALUES (:assoc, :title, :descr, :kind, :mode, :place, :starts, :ends, :sched, "
           ":dur, "
           ":places, :ref, :status, :by, :created, :updated, :search) RETURNING id",
        soci::use(associationId), soci::use(m.title), soci::use(m.description), soci::use(m.kind), soci::use(m.mode),
        soci::use(m.place), soci::use(m.startsOn), soci::use(m.endsOn), soci::use(m.schedule),
        soci::use(m.durationMinutes), soci::use(m.placesAvailable), soci::use(referent, referentInd), soci::use(status),
        soci::use(creator, creatorInd), soci::use(now), soci::use(now), soci::use(searchText), soci::into(id);
    writeChildren(sql, id, m);
    if (publish) {
      published(sql, id, associationId);
    }
  });
  ++missionsGeneration;
  return id;
}

void Missions::published(soci::session& sql, long long missionId, long long associationId) {
  if (events_ != nullptr) {
    events_->publish(sql, "mission.published", associationId, events::Payload().set("mission_id", missionId).json());
  }
}

void Missions::update(long long missionId, const MissionInput& input) {
  db_.transaction([&](soci::session& sql) {
    long long associationId = 0;
    sql << "SELECT association_id FROM missions WHERE id = :id", soci::use(missionId), soci::into(associationId);
    if (!sql.got_data()) {
      throw http::notFound("No mission " + std::to_string(missionId) + ".");
    }
    CleanMission m = validate(sql, associationId, input);
    long long now = storage::nowSeconds();
    long long referent = m.referent;
    soci::indicator referentInd = m.referent == 0 ? soci::i_null : soci::i_ok;
    std::string searchText = foldForSearch(m.title + "\n" + m.description);
    sql << "UPDATE missions SET title = :title, description = :descr, kind = :kind, mode = :mode, place = :place, "
           "starts_on = :starts, ends_on = :ends, schedule = :sched, duration_minutes = :dur, "
           "places_available = :places, referent_account_id = :ref, updated_at = :updated, search_text = :search "
           "WHERE id = :id",
        soci::use(m.title), soci::use(m.description), soci::use(m.kind), soci::use(m.mode), soci::use(m.place),
        soci::use(m.startsOn), soci::use(m.endsOn), soci::use(m.schedule), soci::use(m.durationMinutes),
        soci::use(m.placesAvailable), soci::use(referent, referentInd), soci::use(now), soci::use(searchText),
        soci::use(missionId);
    writeChildren(sql, missionId, m);
    if (events_ != nullptr) {
      events_->publish(sql, "mission.updated", associationId, events::Payload().set("mission_id", missionId).json());
    }
  });
  ++missionsGeneration;
}

void Missions::setStatus(long long missionId, const std::string& status) {
  if (status != "draft" && status != "published" && status != "closed") {
    throw http::unprocessable({{"status", "must be one of: draft, published, closed", "choice"}});
  }
  db_.transaction([&](soci::session& sql) {
    std::string current;
    long long associationId = 0;
    sql << "SELECT status, association_id FROM missions WHERE id = :id", soci::use(missionId), soci::into(current),
        soci::into(associationId);
    if (!sql.got_data()) {
      throw http::notFound("No mission " + std::to_string(missionId) + ".");
    }
    bool allowed = (current == "draft" && (status == "published" || status == "closed")) ||
                   (current == "published" && status == "closed");
    if (!allowed) {
      throw http::HttpError(409, "Conflict", "A " + current + " mission cannot become " + status + ".");
    }
    long long now = storage::nowSeconds();
    // Only from the status just read: of two concurrent changes, the second
    // changes no row and is refused (PostgreSQL reads without locking).
    soci::statement update = (sql.prepare << "UPDATE missions SET status = :s, updated_at = :t "
                                             "WHERE id = :id AND status = :current",
                              soci::use(status), soci::use(now), soci::use(missionId), soci::use(current));
    update.execute(true);
    if (update.get_affected_rows() != 1) {
      throw http::HttpError(409, "Conflict", "The mission changed meanwhile. Reload and try again.");
    }
    if (status == "published") {
      published(sql, missionId, associationId);
    } else if (status == "closed" && events_ != nullptr) {
      events_->publish(sql, "mission.closed", associationId, events::Payload().set("mission_id", missionId).json());
    }
  });
  ++missionsGeneration;
}

std::optional<Mission> Missions::byId(long long missionId) {
  storage::Database::Session session(db_);
  auto found = selectMissions(*session, std::string("SELECT ") + kColumns + kFrom + " WHERE m.id = :id", missionId);
  if (found.empty()) {
    return std::nullopt;
  }
  loadDetails(*session, found);
  return found.front();
}

MissionPage Missions::search(const MissionQuery& query) {
  MissionPage page;
  page.perPage = std::clamp(query.perPage, 1, 100);
  page.page = std::max(query.page, 1);

  std::string where = " WHERE m.status = 'published'";
  std::vector<std::string> params;
  if (!query.text.empty()) {
    where += " AND m.search_text LIKE :t ESCAPE '\\'";
    params.push_back(containsPattern(foldForSearch(query.text)));
  }
  if (!query.skill.empty()) {
    where +=
        " AND EXISTS (SELECT 1 FROM mission_skills ms JOIN skills s ON s.id = ms.skill_id "
        "WHERE ms.mission_id = m.id AND s.slug = :skill)";
    params.push_back(query.skill);
  }
  if (!query.cause.empty()) {
    where +=
        " AND EXISTS (SELECT 1 FROM mission_causes mc JOIN causes c ON c.id = mc.cause_id "
        "WHERE mc.mission_id = m.id AND c.slug = :cause)";
    params.push_back(query.cause);
  }
  if (!query.association.empty()) {
    where += " AND a.slug = :assoc";
    params.push_back(query.association);
  }
  if (!query.mode.empty()) {
    where += " AND m.mode = :mode";
    params.push_back(query.mode);
  }
  if (query.remoteOnly) {
    where += " AND m.mode IN ('remote', 'hybrid')";
  }
  if (!query.from.empty()) {
    where += " AND (m.starts_on = '' OR m.starts_on >= :from)";
    params.push_back(query.from);
  }

  storage::Database::Session session(db_);
  {
    soci::statement st(*session);
    st.exchange(soci::into(page.total));
    for (const auto& param : params) {
      st.exchange(soci::use(param));
    }
    st.alloc();
    st.prepare(std::string("SELECT COUNT(*)") + kFrom + where);
    st.define_and_bind();
    st.execute(true);
  }
  long long offset = static_cast<long long>(page.page - 1) * page.perPage;
  if (offset >= page.total) {
    return page;
  }
  // Dated missions first, soonest first; undated ones after; id breaks ties.
  std::string text = std::string("SELECT ") + kColumns + kFrom + where +
                     " ORDER BY CASE WHEN m.starts_on = '' THEN 1 ELSE 0 END, m.starts_on, m.id"
                     " LIMIT " +
                     std::to_string(page.perPage) + " OFFSET " + std::to_string(offset);
  page.missions = selectMissions(*session, text, params);
  loadDetails(*session, page.missions);
  return page;
}

std::vector<Mission> Missions::ofAssociation(long long associationId) {
  storage::Database::Session session(db_);
  auto missions = selectMissions(
      *session, std::string("SELECT ") + kColumns + kFrom + " WHERE m.association_id = :a ORDER BY m.id DESC",
      associationId);
  loadDetails(*session, missions);
  return missions;
}

unsigned long long Missions::generation() {
  return missionsGeneration.load();
}

void Missions::touch() {
  ++missionsGeneration;
}

int Missions::fillSearchText() {
  int filled = 0;
  db_.transaction([&](soci::session& sql) {
    std::vector<std::tuple<long long, std::string>> rows;
    long long id = 0;
    std::string title;
    std::string description;
    soci::statement st = (sql.prepare << "SELECT id, title, description FROM missions WHERE search_text = ''",
                          soci::into(id), soci::into(title), soci::into(description));
    st.execute();
    while (st.fetch()) {
      rows.emplace_back(id, foldForSearch(title + "\n" + description));
    }
    for (auto& [rowId, text] : rows) {
      sql << "UPDATE missions SET search_text = :s WHERE id = :id", soci::use(text), soci::use(rowId);
      ++filled;
    }
  });
  return filled;
}

MissionInput inputOf(const Mission& mission) {
  MissionInput input;
  input.title = mission.title;
  input.description = mission.description;
  input.kind = mission.kind;
  input.mode = mission.mode;
  input.place = mission.place;
  input.startsOn = mission.startsOn;
  input.endsOn = mission.endsOn;
  input.schedule = mission.schedule;
  input.durationMinutes = mission.durationMinutes == 0 ? "" : std::to_string(mission.durationMinutes);
  input.placesAvailable = std::to_string(mission.placesAvailable);
  input.referentAccountId = mission.referentAccountId == 0 ? "" : std::to_string(mission.referentAccountId);
  input.requiredSkills = mission.requiredSkills;
  input.niceSkills = mission.niceSkills;
  input.causes = mission.causes;
  input.languages = mission.languages;
  return input;
}

void checkFilters(soci::session& sql, http::Validator& v, const MissionQuery& query) {
  if (!query.skill.empty() && !unknownSkills(sql, {query.skill}).empty()) {
    v.add("skill", "choice", "is not a known skill");
  }
  if (!query.cause.empty() && !unknownCauses(sql, {query.cause}).empty()) {
    v.add("cause", "choice", "is not a known cause");
  }
  if (!query.association.empty()) {
    long long id = 0;
    sql << "SELECT id FROM associations WHERE slug = :s", soci::use(query.association), soci::into(id);
    if (!sql.got_data()) {
      v.add("association", "choice", "is not a known association");
    }
  }
  if (!query.mode.empty()) {
    v.oneOf("mode", query.mode, {"remote", "onsite", "hybrid"});
  }
}

}  // namespace ruche::domain
