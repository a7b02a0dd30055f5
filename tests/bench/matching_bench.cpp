// matching_bench DATABASE_URL [VOLUNTEERS MISSIONS] — the `matching`
// benchmark's worker (tests/bench/run starts it on a throwaway PostgreSQL).
//
// 1. Generates a deterministic federation (default 1,000,000 volunteers,
//    100,000 missions; fixed seed) and loads it into the matching index.
// 2. Loads the very same data into PostgreSQL with COPY (unlogged tables
//    shaped like the kernel's: one row per volunteer/mission, one per skill,
//    cause, language), with indexes on the join keys, then ANALYZE.
// 3. Times top-10 missions for a volunteer and top-50 volunteers for a
//    mission: many queries on the index, a few on PostgreSQL (each one SQL
//    query computing the same filters, parts and sum as the index, in the
//    same floating-point order), bounded in time.
// 4. Compares the top-10 of both for every SQL query (agreement: share of
//    the index's top-10 ids that SQL's top-10 holds).
// Prints one JSON object on stdout; progress on stderr.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <libpq-fe.h>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "matching/Index.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace matching;

constexpr long long kNow = 1'780'000'000;
constexpr int kSkills = 60;
constexpr int kCauses = 12;
constexpr int kLanguages = 8;  // 0 = French
constexpr std::size_t kIndexQueries = 1000;
constexpr int kSqlQueries = 8;
constexpr double kSqlBudgetSeconds = 150;  // per direction

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void note(const std::string& message) {
  std::cerr << "matching bench: " << message << std::endl;
}

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "matching bench: error: " << message << std::endl;
  std::exit(1);
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) {
    return -1;
  }
  std::sort(values.begin(), values.end());
  auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

/// Towns of metropolitan France: people and missions cluster around them.
struct Town {
  double lat, lon;
};
const Town kTowns[] = {{48.857, 2.352},  {45.764, 4.836}, {43.296, 5.370}, {43.605, 1.444},  {43.710, 7.262},
                       {47.218, -1.554}, {48.573, 7.752}, {43.611, 3.877}, {44.838, -0.579}, {50.629, 3.057},
                       {48.117, -1.678}, {49.258, 4.032}, {45.440, 4.387}, {45.188, 5.724},  {47.322, 5.041},
                       {47.394, 0.685},  {49.443, 1.099}, {43.125, 5.930}, {47.902, 1.909},  {49.894, 2.296}};

/// Deterministic generator: the same seed gives the same federation.
class Federation {
 public:
  explicit Federation(unsigned seed) : random_(seed) {}

  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  double real(double low, double high) { return std::uniform_real_distribution<double>(low, high)(random_); }
  bool chance(double p) { return real(0, 1) < p; }
  std::vector<int> distinct(int count, int universe, int skip = -1) {
    std::vector<int> out;
    while (static_cast<int>(out.size()) < count) {
      int value = uniform(0, universe - 1);
      if (value != skip && std::find(out.begin(), out.end(), value) == out.end()) {
        out.push_back(value);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  GeoPoint place() {
    const auto& town = kTowns[uniform(0, static_cast<int>(std::size(kTowns)) - 1)];
    // Rounded to 1e-4 degrees (11 m): the same text in COPY and the same double in C++.
    auto round4 = [](double x) { return static_cast<double>(std::llround(x * 10000)) / 10000; };
    return {round4(town.lat + real(-0.3, 0.3)), round4(town.lon + real(-0.4, 0.4))};
  }
  WeekMask hours(int slots) {
    WeekMask mask;
    for (int i = 0; i < slots; ++i) {
      int day = uniform(0, 6);
      int start = (uniform(0, 1) == 0 ? uniform(8, 11) : uniform(17, 20)) * 60;
      mask |= WeekMask::fromLocalSlot(day, start, start + uniform(1, 3) * 60, 60);
    }
    return mask;
  }

  struct VolunteerRow {
    Volunteer v;
    int exposures = 0;
    long long exposedAt = 0;
  };
  VolunteerRow volunteer(long long id) {
    VolunteerRow row;
    Volunteer& v = row.v;
    v.id = id;
    v.skills = distinct(uniform(1, 5), kSkills);
    v.causes = distinct(uniform(0, 3), kCauses);
    if (chance(0.95)) {
      v.languages.push_back({0, uniform(3, 5)});
    }
    for (int language : distinct(uniform(0, 2), kLanguages, 0)) {
      v.languages.push_back({language, uniform(1, 5)});
    }
    v.availability = chance(0.1) ? WeekMask{} : hours(uniform(1, 5));
    if (!chance(0.1)) {
      v.place = place();
    }
    v.maxDistanceKm = uniform(5, 50);
    v.remoteOk = chance(0.6);
    v.feedback = chance(0.4) ? 0.0 : static_cast<double>(uniform(10, 50)) / 10;
    v.completedMissions = uniform(0, 20);
    v.associations = {uniform(1, 200)};
    if (chance(0.2)) {
      row.exposures = uniform(1, 10);
      row.exposedAt = kNow - uniform(0, 14 * 86400);
    }
    return row;
  }
  Mission mission(long long id) {
    Mission m;
    m.id = id;
    m.associationId = uniform(1, 200);
    m.skills = distinct(uniform(1, 4), kSkills);
    m.causes = distinct(uniform(1, 2), kCauses);
    if (chance(0.3)) {
      m.requiredLanguages.push_back({0, uniform(3, 4)});
    }
    if (chance(0.1)) {
      m.requiredLanguages.push_back({uniform(1, kLanguages - 1), 2});
    }
    for (int language : distinct(uniform(0, 2), kLanguages)) {
      bool required = std::any_of(m.requiredLanguages.begin(), m.requiredLanguages.end(),
                                  [&](const LanguageLevel& l) { return l.language == language; });
      if (!required) {
        m.optionalLanguages.push_back(language);
      }
    }
    m.schedule = chance(0.2) ? WeekMask{} : hours(uniform(1, 3));
    m.utcOffsetMinutes = 60;
    m.remote = chance(0.2);
    if (!m.remote) {
      m.place = place();
    }
    m.startsAt = kNow + uniform(-5, 90) * 86400LL;
    m.placesLeft = chance(0.05) ? 0 : uniform(1, 10);
    m.open = chance(0.95);
    return m;
  }

 private:
  std::mt19937_64 random_;
};

// ------------------------------------------------------------- PostgreSQL

class Pg {
 public:
  explicit Pg(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      fail(std::string("cannot connect: ") + PQerrorMessage(conn_));
    }
  }
  ~Pg() { PQfinish(conn_); }
  Pg(const Pg&) = delete;
  Pg& operator=(const Pg&) = delete;

  void exec(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string error = PQerrorMessage(conn_);
      PQclear(result);
      fail("SQL failed: " + error + "\n" + sql.substr(0, 300));
    }
    PQclear(result);
  }

  /// COPY table FROM STDIN with `rows` (tab-separated text lines).
  void copy(const std::string& table, const std::string& rows) {
    PGresult* result = PQexec(conn_, ("COPY " + table + " FROM STDIN").c_str());
    if (PQresultStatus(result) != PGRES_COPY_IN) {
      fail("COPY " + table + " failed to start: " + PQerrorMessage(conn_));
    }
    PQclear(result);
    if (PQputCopyData(conn_, rows.data(), static_cast<int>(rows.size())) != 1 || PQputCopyEnd(conn_, nullptr) != 1) {
      fail("COPY " + table + " failed: " + PQerrorMessage(conn_));
    }
    result = PQgetResult(conn_);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      fail("COPY " + table + " failed: " + PQerrorMessage(conn_));
    }
    PQclear(result);
    while ((result = PQgetResult(conn_)) != nullptr) {
      PQclear(result);
    }
  }

  /// Rows of (id, score).
  std::vector<std::pair<long long, double>> ranking(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    if (PQresultStatus(result) != PGRES_TUPLES_OK) {
      std::string error = PQerrorMessage(conn_);
      PQclear(result);
      fail("query failed: " + error);
    }
    std::vector<std::pair<long long, double>> rows;
    for (int i = 0; i < PQntuples(result); ++i) {
      rows.emplace_back(std::atoll(PQgetvalue(result, i, 0)), std::strtod(PQgetvalue(result, i, 1), nullptr));
    }
    PQclear(result);
    return rows;
  }

 private:
  PGconn* conn_;
};

/// A double as SQL text that reads back as the very same double.
std::string lit(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return std::string("(") + text + ")::float8";
}

std::string maskWords(const WeekMask& mask) {
  std::string out;
  for (std::size_t i = 0; i < 3; ++i) {
    out += '\t' + std::to_string(static_cast<long long>(mask.bits[i]));
  }
  return out;
}

const char* kSchema = R"(
CREATE UNLOGGED TABLE bv (id BIGINT PRIMARY KEY, a0 BIGINT, a1 BIGINT, a2 BIGINT, avail_hours INTEGER,
  has_place BOOLEAN, lat FLOAT8, lon FLOAT8, reach_km INTEGER, remote_ok BOOLEAN, feedback FLOAT8,
  completed INTEGER, exposure FLOAT8, exposure_at BIGINT);
CREATE UNLOGGED TABLE bv_skills (volunteer_id BIGINT, skill INTEGER);
CREATE UNLOGGED TABLE bv_causes (volunteer_id BIGINT, cause INTEGER);
CREATE UNLOGGED TABLE bv_languages (volunteer_id BIGINT, language INTEGER, level INTEGER);
CREATE UNLOGGED TABLE bm (id BIGINT PRIMARY KEY, association_id BIGINT, n_skills INTEGER, n_causes INTEGER,
  n_required INTEGER, n_optional INTEGER, s0 BIGINT, s1 BIGINT, s2 BIGINT, sched_hours INTEGER,
  has_place BOOLEAN, lat FLOAT8, lon FLOAT8, remote BOOLEAN, starts_at BIGINT, places_left INTEGER, open BOOLEAN);
CREATE UNLOGGED TABLE bm_skills (mission_id BIGINT, skill INTEGER);
CREATE UNLOGGED TABLE bm_causes (mission_id BIGINT, cause INTEGER);
CREATE UNLOGGED TABLE bm_languages (mission_id BIGINT, language INTEGER, level INTEGER, required BOOLEAN);
)";

const char* kIndexes = R"(
CREATE INDEX ON bv_skills (skill, volunteer_id);
CREATE INDEX ON bv_causes (cause, volunteer_id);
CREATE INDEX ON bv_languages (volunteer_id, language, level);
CREATE INDEX ON bv_languages (language, volunteer_id);
CREATE INDEX ON bm_skills (skill, mission_id);
CREATE INDEX ON bm_skills (mission_id);
CREATE INDEX ON bm_causes (cause, mission_id);
CREATE INDEX ON bm_causes (mission_id);
CREATE INDEX ON bm_languages (mission_id, language);
ANALYZE bv; ANALYZE bv_skills; ANALYZE bv_causes; ANALYZE bv_languages; ANALYZE bm; ANALYZE bm_skills; ANALYZE bm_causes; ANALYZE bm_languages;
)";

/// The score's parts in SQL, in the index's order and floating-point order
/// (src/Scoring.cpp): v and m are the rows, sk/ca/opt the overlap counts,
/// x.ov the hours in common and x.d the distance (NULL when unknown).
std::string scoreSql(const Weights& w, bool fairness) {
  std::string feedback = lit(w.feedback) + " * (" + lit(0.7) + " * (CASE WHEN v.feedback > 0 THEN least(v.feedback, " +
                         lit(5.0) + ") / " + lit(5.0) + " ELSE " + lit(0.5) + " END) + " + lit(0.3) +
                         " * (least(v.completed, 10)::float8 / " + lit(10.0) + "))";
  std::string urgency = lit(w.urgency) + " * (" + lit(0.7) +
                        " * (CASE WHEN m.starts_at <= 0 THEN 0::float8 WHEN m.starts_at <= " + std::to_string(kNow) +
                        " THEN 1::float8 ELSE greatest(0::float8, 1::float8 - (m.starts_at - " + std::to_string(kNow) +
                        ")::float8 / " + lit(30 * 86400.0) + ") END) + " + lit(0.3) +
                        " * (least(greatest(m.places_left, 0), 10)::float8 / " + lit(10.0) + "))";
  std::string sql =
      "(CASE WHEN m.n_skills > 0 THEN " + lit(w.skills) +
      " * coalesce(sk.n, 0)::float8 / m.n_skills::float8 ELSE 0::float8 END)"
      " + (CASE WHEN m.n_causes > 0 THEN " +
      lit(w.causes) +
      " * coalesce(ca.n, 0)::float8 / m.n_causes::float8 ELSE 0::float8 END)"
      " + (CASE WHEN m.n_required + m.n_optional > 0 THEN " +
      lit(w.languages) +
      " * (m.n_required + coalesce(opt.n, 0))::float8 / (m.n_required + m.n_optional)::float8 ELSE 0::float8 END)"
      " + " +
      lit(w.availability) + " * (CASE WHEN m.sched_hours = 0 THEN 1::float8 WHEN v.avail_hours = 0 THEN " + lit(0.5) +
      " ELSE x.ov::float8 / m.sched_hours::float8 END)"
      " + " +
      lit(w.distance) +
      " * (CASE WHEN m.remote THEN (CASE WHEN v.remote_ok THEN 1::float8 ELSE 0::float8 END)"
      " WHEN x.d IS NOT NULL THEN 1::float8 - x.d / v.reach_km::float8 ELSE 0::float8 END)"
      " + " +
      feedback + " + " + urgency;
  if (fairness) {
    std::string decayed = "(CASE WHEN v.exposure <= 0 THEN 0::float8 WHEN " + std::to_string(kNow) +
                          " <= v.exposure_at THEN v.exposure ELSE v.exposure * power(" + lit(2.0) + ", (-((" +
                          std::to_string(kNow) + " - v.exposure_at)::float8)) / " + lit(7 * 86400.0) + ") END)";
    sql += " + (-(" + lit(w.fairness) + " * (e.e / (e.e + " + lit(5.0) + "))))";
    return "CROSS JOIN LATERAL (SELECT " + decayed + " AS e) e|" + sql;
  }
  return "|" + sql;
}

/// The pair's facts both filters and parts use: hours in common, distance.
const char* kFactsSql =
    "CROSS JOIN LATERAL (SELECT bit_count((m.s0 & v.a0)::bit(64)) + bit_count((m.s1 & v.a1)::bit(64))"
    " + bit_count((m.s2 & v.a2)::bit(64)) AS ov,"
    " CASE WHEN NOT m.remote AND m.has_place AND v.has_place THEN (12742)::float8 * asin(sqrt(least(1::float8,"
    " sin((m.lat - v.lat) * (0.017453292519943295)::float8 / 2::float8) * sin((m.lat - v.lat) * "
    "(0.017453292519943295)::float8 / 2::float8)"
    " + cos(v.lat * (0.017453292519943295)::float8) * cos(m.lat * (0.017453292519943295)::float8)"
    " * sin((m.lon - v.lon) * (0.017453292519943295)::float8 / 2::float8) * sin((m.lon - v.lon) * "
    "(0.017453292519943295)::float8 / 2::float8))))"
    " END AS d) x ";

const char* kFiltersSql =
    " m.open AND m.places_left > 0"
    " AND NOT EXISTS (SELECT 1 FROM bm_languages ml WHERE ml.mission_id = m.id AND ml.required AND NOT EXISTS"
    " (SELECT 1 FROM bv_languages vl WHERE vl.volunteer_id = v.id AND vl.language = ml.language AND vl.level >= "
    "ml.level))"
    " AND (m.sched_hours = 0 OR v.avail_hours = 0 OR x.ov > 0)"
    " AND (m.remote OR x.d IS NULL OR x.d <= v.reach_km::float8) ";

std::pair<std::string, std::string> split(const std::string& joined) {
  auto bar = joined.find('|');
  return {joined.substr(0, bar), joined.substr(bar + 1)};
}

std::string missionsForVolunteerSql(long long volunteer, const Weights& w, int k) {
  auto [join, score] = split(scoreSql(w, false));
  std::string id = std::to_string(volunteer);
  return "WITH sk AS (SELECT ms.mission_id, count(*) AS n FROM bm_skills ms JOIN bv_skills vs ON vs.skill = ms.skill"
         " AND vs.volunteer_id = " +
         id +
         " GROUP BY ms.mission_id),"
         " ca AS (SELECT mc.mission_id, count(*) AS n FROM bm_causes mc JOIN bv_causes vc ON vc.cause = mc.cause"
         " AND vc.volunteer_id = " +
         id +
         " GROUP BY mc.mission_id),"
         " opt AS (SELECT ml.mission_id, count(*) AS n FROM bm_languages ml JOIN bv_languages vl ON vl.language = "
         "ml.language"
         " AND vl.volunteer_id = " +
         id +
         " WHERE NOT ml.required GROUP BY ml.mission_id)"
         " SELECT m.id, " +
         score +
         " AS score FROM bv v CROSS JOIN bm m"
         " LEFT JOIN sk ON sk.mission_id = m.id LEFT JOIN ca ON ca.mission_id = m.id LEFT JOIN opt ON opt.mission_id = "
         "m.id " +
         kFactsSql + join + " WHERE v.id = " + id + " AND " + kFiltersSql + " ORDER BY score DESC, m.id LIMIT " +
         std::to_string(k);
}

std::string volunteersForMissionSql(long long mission, const Weights& w, int k) {
  auto [join, score] = split(scoreSql(w, true));
  std::string id = std::to_string(mission);
  return "WITH sk AS (SELECT vs.volunteer_id, count(*) AS n FROM bv_skills vs JOIN bm_skills ms ON ms.skill = vs.skill"
         " AND ms.mission_id = " +
         id +
         " GROUP BY vs.volunteer_id),"
         " ca AS (SELECT vc.volunteer_id, count(*) AS n FROM bv_causes vc JOIN bm_causes mc ON mc.cause = vc.cause"
         " AND mc.mission_id = " +
         id +
         " GROUP BY vc.volunteer_id),"
         " opt AS (SELECT vl.volunteer_id, count(*) AS n FROM bv_languages vl JOIN bm_languages ml ON ml.language = "
         "vl.language"
         " AND ml.mission_id = " +
         id +
         " AND NOT ml.required GROUP BY vl.volunteer_id)"
         " SELECT v.id, " +
         score +
         " AS score FROM bm m CROSS JOIN bv v"
         " LEFT JOIN sk ON sk.volunteer_id = v.id LEFT JOIN ca ON ca.volunteer_id = v.id LEFT JOIN opt ON "
         "opt.volunteer_id = v.id " +
         kFactsSql + join + " WHERE m.id = " + id + " AND " + kFiltersSql + " ORDER BY score DESC, v.id LIMIT " +
         std::to_string(k);
}

/// Share of `index`'s first 10 ids found among `sql`'s first 10.
double agreement(const std::vector<Suggestion>& index, const std::vector<std::pair<long long, double>>& sql,
                 std::string& firstDifference) {
  std::set<long long> fromSql;
  for (std::size_t i = 0; i < std::min<std::size_t>(10, sql.size()); ++i) {
    fromSql.insert(sql[i].first);
  }
  std::size_t n = std::min<std::size_t>(10, index.size());
  if (n == 0) {
    return fromSql.empty() ? 1.0 : 0.0;
  }
  std::size_t same = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (fromSql.count(index[i].id) != 0) {
      ++same;
    } else if (firstDifference.empty()) {
      firstDifference = "index #" + std::to_string(i) + " id " + std::to_string(index[i].id) + " score " +
                        std::to_string(index[i].score) + " not in SQL's top-10" +
                        (sql.size() > i ? " (SQL #" + std::to_string(i) + " id " + std::to_string(sql[i].first) +
                                              " score " + std::to_string(sql[i].second) + ")"
                                        : "");
    }
  }
  if (sql.size() != index.size() && firstDifference.empty()) {
    firstDifference = "index returned " + std::to_string(index.size()) + " rows, SQL " + std::to_string(sql.size());
  }
  return static_cast<double>(same) / static_cast<double>(std::max(n, std::min<std::size_t>(10, sql.size())));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::cerr << "usage: ruche_bench_matching DATABASE_URL [VOLUNTEERS MISSIONS]\n";
    return 2;
  }
  const long long volunteerCount = argc == 4 ? std::atoll(argv[2]) : 1'000'000;
  const long long missionCount = argc == 4 ? std::atoll(argv[3]) : 100'000;
  Weights weights;

  // 1. Generate, index, and prepare COPY text in one pass.
  auto started = Clock::now();
  Federation federation(20261124);
  Index index;
  std::string bv, bvSkills, bvCauses, bvLanguages;
  for (long long id = 1; id <= volunteerCount; ++id) {
    auto row = federation.volunteer(id);
    const Volunteer& v = row.v;
    std::ostringstream line;
    line.precision(17);
    line << id << maskWords(v.availability) << '\t' << v.availability.count() << '\t' << (v.place ? 't' : 'f') << '\t'
         << (v.place ? v.place->lat : 0.0) << '\t' << (v.place ? v.place->lon : 0.0) << '\t' << v.maxDistanceKm << '\t'
         << (v.remoteOk ? 't' : 'f') << '\t' << v.feedback << '\t' << v.completedMissions << '\t' << row.exposures
         << '\t' << row.exposedAt << '\n';
    bv += line.str();
    for (int skill : v.skills) {
      bvSkills += std::to_string(id) + '\t' + std::to_string(skill) + '\n';
    }
    for (int cause : v.causes) {
      bvCauses += std::to_string(id) + '\t' + std::to_string(cause) + '\n';
    }
    for (const auto& l : v.languages) {
      bvLanguages += std::to_string(id) + '\t' + std::to_string(l.language) + '\t' + std::to_string(l.level) + '\n';
    }
    index.upsertVolunteer(v);
    for (int i = 0; i < row.exposures; ++i) {
      index.recordExposure(id, row.exposedAt);
    }
  }
  std::string bm, bmSkills, bmCauses, bmLanguages;
  std::vector<long long> openMissions;
  const long long firstMission = 10'000'000;
  for (long long id = firstMission; id < firstMission + missionCount; ++id) {
    Mission m = federation.mission(id);
    std::ostringstream line;
    line.precision(17);
    line << id << '\t' << m.associationId << '\t' << m.skills.size() << '\t' << m.causes.size() << '\t'
         << m.requiredLanguages.size() << '\t' << m.optionalLanguages.size() << maskWords(m.schedule) << '\t'
         << m.schedule.count() << '\t' << (m.place ? 't' : 'f') << '\t' << (m.place ? m.place->lat : 0.0) << '\t'
         << (m.place ? m.place->lon : 0.0) << '\t' << (m.remote ? 't' : 'f') << '\t' << m.startsAt << '\t'
         << m.placesLeft << '\t' << (m.open ? 't' : 'f') << '\n';
    bm += line.str();
    for (int skill : m.skills) {
      bmSkills += std::to_string(id) + '\t' + std::to_string(skill) + '\n';
    }
    for (int cause : m.causes) {
      bmCauses += std::to_string(id) + '\t' + std::to_string(cause) + '\n';
    }
    for (const auto& l : m.requiredLanguages) {
      bmLanguages += std::to_string(id) + '\t' + std::to_string(l.language) + '\t' + std::to_string(l.level) + "\tt\n";
    }
    for (int language : m.optionalLanguages) {
      bmLanguages += std::to_string(id) + '\t' + std::to_string(language) + "\t1\tf\n";
    }
    if (m.open && m.placesLeft > 0) {
      openMissions.push_back(id);
    }
    index.upsertMission(std::move(m));
  }
  double buildSeconds = secondsSince(started);
  std::size_t memory = index.memoryBytes();
  auto items = index.size();
  note("generated and indexed " + std::to_string(items.volunteers) + " volunteers and " +
       std::to_string(items.missions) + " missions in " + std::to_string(buildSeconds) + " s; index " +
       std::to_string(memory / (1024 * 1024)) + " MB");

  // 2. The index: many queries each way.
  std::vector<double> indexMissions, indexVolunteers;
  for (std::size_t i = 0; i < kIndexQueries; ++i) {
    long long volunteer = 1 + static_cast<long long>(i * 7919) % volunteerCount;
    auto t = Clock::now();
    auto top = index.topMissionsFor(volunteer, 10, weights, kNow);
    indexMissions.push_back(secondsSince(t) * 1000);
  }
  for (std::size_t i = 0; i < kIndexQueries; ++i) {
    long long mission = openMissions[(i * 7919) % openMissions.size()];
    auto t = Clock::now();
    auto top = index.topVolunteersFor(mission, 50, weights, kNow);
    indexVolunteers.push_back(secondsSince(t) * 1000);
  }
  note("index: missions for a volunteer p50 " + std::to_string(percentile(indexMissions, 0.5)) + " ms, p99 " +
       std::to_string(percentile(indexMissions, 0.99)) + " ms; volunteers for a mission p50 " +
       std::to_string(percentile(indexVolunteers, 0.5)) + " ms, p99 " +
       std::to_string(percentile(indexVolunteers, 0.99)) + " ms");

  // 3. PostgreSQL: the same data, then the same rankings in one query each.
  Pg pg(argv[1]);
  auto loading = Clock::now();
  pg.exec(kSchema);
  pg.copy("bv", bv);
  pg.copy("bv_skills", bvSkills);
  pg.copy("bv_causes", bvCauses);
  pg.copy("bv_languages", bvLanguages);
  pg.copy("bm", bm);
  pg.copy("bm_skills", bmSkills);
  pg.copy("bm_causes", bmCauses);
  pg.copy("bm_languages", bmLanguages);
  for (std::string* text : {&bv, &bvSkills, &bvCauses, &bvLanguages, &bm, &bmSkills, &bmCauses, &bmLanguages}) {
    std::string().swap(*text);
  }
  pg.exec(kIndexes);
  note("loaded PostgreSQL in " + std::to_string(secondsSince(loading)) + " s");
  pg.exec("SET max_parallel_workers_per_gather = 0");  // one core per query, like the index

  std::vector<double> sqlMissions, sqlVolunteers;
  double agreementSum = 0;
  int compared = 0;
  std::string firstDifference;
  auto phase = Clock::now();
  for (int i = 0; i < kSqlQueries && (i < 2 || secondsSince(phase) < kSqlBudgetSeconds); ++i) {
    long long volunteer = 1 + static_cast<long long>(i * 7919) % volunteerCount;
    auto t = Clock::now();
    auto rows = pg.ranking(missionsForVolunteerSql(volunteer, weights, 10));
    sqlMissions.push_back(secondsSince(t) * 1000);
    agreementSum += agreement(index.topMissionsFor(volunteer, 10, weights, kNow), rows, firstDifference);
    ++compared;
  }
  phase = Clock::now();
  for (int i = 0; i < kSqlQueries && (i < 2 || secondsSince(phase) < kSqlBudgetSeconds); ++i) {
    long long mission = openMissions[(static_cast<std::size_t>(i) * 7919) % openMissions.size()];
    auto t = Clock::now();
    auto rows = pg.ranking(volunteersForMissionSql(mission, weights, 50));
    sqlVolunteers.push_back(secondsSince(t) * 1000);
    agreementSum += agreement(index.topVolunteersFor(mission, 50, weights, kNow), rows, firstDifference);
    ++compared;
  }
  if (!firstDifference.empty()) {
    note("first difference: " + firstDifference);
  }
  note("PostgreSQL: missions for a volunteer p50 " + std::to_string(percentile(sqlMissions, 0.5)) + " ms (" +
       std::to_string(sqlMissions.size()) + " queries); volunteers for a mission p50 " +
       std::to_string(percentile(sqlVolunteers, 0.5)) + " ms (" + std::to_string(sqlVolunteers.size()) + " queries)");

  std::printf(
      "{\"volunteers\": %zu, \"missions\": %zu, \"build_s\": %.1f, \"memory_bytes\": %zu,"
      " \"index_missions_p50_ms\": %.4f, \"index_missions_p99_ms\": %.4f,"
      " \"index_volunteers_p50_ms\": %.4f, \"index_volunteers_p99_ms\": %.4f,"
      " \"sql_missions_p50_ms\": %.1f, \"sql_missions_p99_ms\": %.1f, \"sql_missions_queries\": %zu,"
      " \"sql_volunteers_p50_ms\": %.1f, \"sql_volunteers_p99_ms\": %.1f, \"sql_volunteers_queries\": %zu,"
      " \"agreement\": %.4f, \"compared\": %d}\n",
      items.volunteers, items.missions, buildSeconds, memory, percentile(indexMissions, 0.5),
      percentile(indexMissions, 0.99), percentile(indexVolunteers, 0.5), percentile(indexVolunteers, 0.99),
      percentile(sqlMissions, 0.5), percentile(sqlMissions, 0.99), sqlMissions.size(), percentile(sqlVolunteers, 0.5),
      percentile(sqlVolunteers, 0.99), sqlVolunteers.size(), compared > 0 ? agreementSum / compared : 0.0, compared);
  return 0;
}
