// Mentor pairs (binômes): a newcomer of an association (no completed
// mission there) with an experienced member, suggested by shared skills,
// languages and free hours (rules::pairScore); a coordinator confirms; the
// pair's page, seen by its two members and the coordinators only, holds
// shared check-ins (a day and a note).
#include <algorithm>
#include <map>
#include <set>

#include "Handlers.h"
#include "LiveIndex.h"
#include "Rules.h"

namespace matching::plugin {
namespace {

using ruche::sdk::FieldError;
using ruche::sdk::Value;

constexpr std::size_t kMaxNote = 1000;

long long idOf(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  return std::stoll(text);
}

std::string base(Context& context) {
  return "/a/" + context.association().slug + "/matching/pairs";
}

/// Members of the association with what a pair compares, and whether each
/// has completed a mission of the association.
struct Member {
  rules::PairPerson person;
  std::string name;
  std::string role;
  bool experienced = false;
};

std::map<long long, Member> members(Context& context) {
  std::map<long long, Member> out;
  long long association = context.association().id;
  for (const auto& row : context.db().query(
           "SELECT a.id, a.display_name, a.timezone, m.role FROM memberships m JOIN accounts a ON a.id = m.account_id "
           "WHERE m.association_id = ? AND a.deleted_at IS NULL",
           {association})) {
    Member member;
    member.person.id = row["id"].asInt();
    member.name = row["display_name"].asString();
    member.role = row["role"].asString();
    out[member.person.id] = member;
  }
  for (const auto& row : context.db().query(
           "SELECT ps.account_id, ps.skill_id FROM profile_skills ps JOIN memberships m ON m.account_id = "
           "ps.account_id WHERE m.association_id = ?",
           {association})) {
    if (auto it = out.find(row["account_id"].asInt()); it != out.end()) {
      it->second.person.skills.push_back(static_cast<int>(row["skill_id"].asInt()));
    }
  }
  for (const auto& row : context.db().query(
           "SELECT pl.account_id, pl.language FROM profile_languages pl JOIN memberships m ON m.account_id = "
           "pl.account_id WHERE m.association_id = ?",
           {association})) {
    if (auto it = out.find(row["account_id"].asInt()); it != out.end()) {
      it->second.person.languages.push_back(rules::languageId(row["language"].asString()));
    }
  }
  // Availability compared in UTC (each person's slots are in their own zone).
  for (const auto& row : context.db().query(
           "SELECT s.account_id, s.weekday, s.start_minute, s.end_minute, a.timezone FROM availability_slots s "
           "JOIN memberships m ON m.account_id = s.account_id JOIN accounts a ON a.id = s.account_id "
           "WHERE m.association_id = ?",
           {association})) {
    if (auto it = out.find(row["account_id"].asInt()); it != out.end()) {
      it->second.person.availability |= WeekMask::fromLocalSlot(
          static_cast<int>(row["weekday"].asInt()), static_cast<int>(row["start_minute"].asInt()),
          static_cast<int>(row["end_minute"].asInt()), utcOffsetMinutesFor(row["timezone"].asString(), context.now()));
    }
  }
  for (const auto& row : context.db().query(
           "SELECT DISTINCT ap.account_id FROM applications ap JOIN missions mi ON mi.id = ap.mission_id "
           "WHERE mi.association_id = ? AND ap.status = 'completed'",
           {association})) {
    if (auto it = out.find(row["account_id"].asInt()); it != out.end()) {
      it->second.experienced = true;
    }
  }
  for (auto& [id, member] : out) {
    std::sort(member.person.skills.begin(), member.person.skills.end());
    std::sort(member.person.languages.begin(), member.person.languages.end());
  }
  return out;
}

/// The pair of the path in this association, if the visitor may see it
/// (one of the two, a coordinator or admin, a federation admin); else 404.
ruche::sdk::Row visiblePair(Context& context, const Request& request) {
  long long id = idOf(request.param("id"));
  auto rows = context.db().query(
      "SELECT p.id, p.newcomer_id, p.mentor_id, n.display_name AS newcomer_name, t.display_name AS mentor_name "
      "FROM matching_pairs p JOIN accounts n ON n.id = p.newcomer_id JOIN accounts t ON t.id = p.mentor_id "
      "WHERE p.id = ? AND p.association_id = ?",
      {id, context.association().id});
  if (rows.empty()) {
    throw ruche::sdk::notFound("No such pair.");
  }
  const auto& visitor = request.visitor();
  bool inPair = rows.front()["newcomer_id"].asInt() == visitor.accountId ||
                rows.front()["mentor_id"].asInt() == visitor.accountId;
  bool coordinator = visitor.federationAdmin;
  if (!inPair && !coordinator) {
    auto role = context.db().query("SELECT role FROM memberships WHERE account_id = ? AND association_id = ?",
                                   {visitor.accountId, context.association().id});
    coordinator = !role.empty() && role.front()["role"].asString() != "volunteer";
  }
  if (!inPair && !coordinator) {
    throw ruche::sdk::notFound("No such pair.");
  }
  return rows.front();
}

void renderPair(Context& context, const Request& request, Response& response, const ruche::sdk::Row& pair,
                const std::vector<FieldError>& errors, const std::string& day, const std::string& note) {
  Value checkins = Value::array();
  for (const auto& row : context.db().query(
           "SELECT c.day, c.note, a.display_name AS author FROM matching_checkins c LEFT JOIN accounts a ON a.id = "
           "c.author_id WHERE c.pair_id = ? ORDER BY c.day DESC, c.id DESC",
           {pair["id"].asInt()})) {
    checkins.push(row.toValue());
  }
  context.page(response, "pair",
               Value::object({{"newcomer", pair["newcomer_name"].asString()},
                              {"mentor", pair["mentor_name"].asString()},
                              {"checkins", checkins},
                              {"has_checkins", checkins.size() > 0},
                              {"action", base(context) + "/" + pair["id"].asString() + "/checkins"},
                              {"day", day.empty() ? rules::dayOf(context.now()) : day},
                              {"note", note},
                              {"saved", request.query("saved") == "1"}}),
               "matching.pair.title", errors.empty() ? 200 : 422, errors);
}

}  // namespace

void pairsPage(Context& context, const Request& request, Response& response) {
  auto all = members(context);
  std::set<long long> paired;
  Value pairs = Value::array();
  for (const auto& row : context.db().query(
           "SELECT p.id, n.display_name AS newcomer, t.display_name AS mentor, p.newcomer_id FROM matching_pairs p "
           "JOIN accounts n ON n.id = p.newcomer_id JOIN accounts t ON t.id = p.mentor_id "
           "WHERE p.association_id = ? ORDER BY p.id DESC",
           {context.association().id})) {
    paired.insert(row["newcomer_id"].asInt());
    Value item = row.toValue();
    item.set("url", base(context) + "/" + row["id"].asString());
    pairs.push(item);
  }
  Value suggestions = Value::array();
  for (const auto& [id, newcomer] : all) {
    if (newcomer.experienced || newcomer.role != "volunteer" || paired.count(id) != 0) {
      continue;
    }
    const Member* best = nullptr;
    rules::PairScore bestScore;
    for (const auto& [otherId, mentor] : all) {
      if (otherId == id || !mentor.experienced) {
        continue;
      }
      auto score = rules::pairScore(newcomer.person, mentor.person);
      if (best == nullptr || score.score > bestScore.score) {
        best = &mentor;
        bestScore = score;
      }
    }
    if (best == nullptr) {
      continue;
    }
    suggestions.push(
        Value::object({{"newcomer", newcomer.name},
                       {"newcomer_id", id},
                       {"mentor", best->name},
                       {"mentor_id", best->person.id},
                       {"score", static_cast<double>(static_cast<long long>(bestScore.score * 100)) / 100.0},
                       {"skills", context.plural("matching.pairs.skills", bestScore.sharedSkills)},
                       {"languages", context.plural("matching.pairs.languages", bestScore.sharedLanguages)},
                       {"hours", context.plural("matching.pairs.hours", bestScore.sharedHours)}}));
  }
  context.page(response, "pairs",
               Value::object({{"pairs", pairs},
                              {"has_pairs", pairs.size() > 0},
                              {"suggestions", suggestions},
                              {"has_suggestions", suggestions.size() > 0},
                              {"action", base(context)},
                              {"saved", request.query("saved") == "1"}}),
               "matching.pairs.title");
}

void confirmPair(Context& context, const Request& request, Response& response) {
  long long newcomerId = idOf(request.form("newcomer_id"));
  long long mentorId = idOf(request.form("mentor_id"));
  auto all = members(context);
  auto newcomer = all.find(newcomerId);
  auto mentor = all.find(mentorId);
  std::vector<FieldError> errors;
  if (newcomer == all.end() || newcomer->second.experienced) {
    errors.push_back({"newcomer_id", "must be a newcomer of this association", "newcomer"});
  }
  if (mentor == all.end() || !mentor->second.experienced || mentorId == newcomerId) {
    errors.push_back({"mentor_id", "must be an experienced member of this association", "mentor"});
  }
  if (errors.empty()) {
    auto taken =
        context.db().query("SELECT COUNT(*) AS n FROM matching_pairs WHERE association_id = ? AND newcomer_id = ?",
                           {context.association().id, newcomerId});
    if (taken.front()["n"].asInt() > 0) {
      errors.push_back({"newcomer_id", "already has a mentor", "paired"});
    }
  }
  if (!errors.empty()) {
    throw ruche::sdk::unprocessable(errors);
  }
  long long id = context.db().insert(
      "INSERT INTO matching_pairs (association_id, newcomer_id, mentor_id, confirmed_by, created_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {context.association().id, newcomerId, mentorId, request.visitor().accountId, context.now()});
  response.redirect(base(context) + "/" + std::to_string(id));
}

void pairPage(Context& context, const Request& request, Response& response) {
  renderPair(context, request, response, visiblePair(context, request), {}, "", "");
}

void addCheckin(Context& context, const Request& request, Response& response) {
  auto pair = visiblePair(context, request);
  std::string day = request.form("day");
  std::string note = request.form("note");
  std::vector<FieldError> errors;
  if (rules::dayStart(day) == 0 || rules::dayOf(rules::dayStart(day)) != day) {
    errors.push_back({"day", "must be a date YYYY-MM-DD", "date"});
  }
  if (note.find_first_not_of(" \t\r\n") == std::string::npos) {
    errors.push_back({"note", "is required", "required"});
  } else if (note.size() > kMaxNote) {
    errors.push_back({"note", "must be at most 1000 characters", "too_long"});
  }
  if (!errors.empty()) {
    renderPair(context, request, response, pair, errors, day, note);
    return;
  }
  context.db().insert(
      "INSERT INTO matching_checkins (pair_id, author_id, day, note, created_at) VALUES (?, ?, ?, ?, ?)",
      {pair["id"].asInt(), request.visitor().accountId, day, note, context.now()});
  response.redirect(base(context) + "/" + pair["id"].asString() + "?saved=1");
}

Value exportPersonalData(Context& context, long long accountId, const std::string&) {
  Value pairs = Value::array();
  for (const auto& row :
       context.db().query("SELECT id, association_id, newcomer_id, mentor_id, created_at FROM matching_pairs "
                          "WHERE newcomer_id = ? OR mentor_id = ?",
                          {accountId, accountId})) {
    pairs.push(row.toValue());
  }
  Value checkins = Value::array();
  for (const auto& row : context.db().query(
           "SELECT pair_id, day, note, created_at FROM matching_checkins WHERE author_id = ?", {accountId})) {
    checkins.push(row.toValue());
  }
  Value invitations = Value::array();
  for (const auto& row : context.db().query(
           "SELECT mission_id, created_at FROM matching_invitations WHERE account_id = ?", {accountId})) {
    invitations.push(row.toValue());
  }
  auto sent = context.db().query("SELECT last_sent_at FROM matching_digest_sent WHERE account_id = ?", {accountId});
  return Value::object({{"pairs", pairs},
                        {"checkins", checkins},
                        {"invitations", invitations},
                        {"last_digest_at", sent.empty() ? Value() : sent.front()["last_sent_at"]}});
}

void erasePersonalData(Context& context, long long accountId, const std::string&) {
  auto& db = context.db();
  db.execute(
      "DELETE FROM matching_checkins WHERE pair_id IN (SELECT id FROM matching_pairs WHERE newcomer_id = ? OR "
      "mentor_id = ?)",
      {accountId, accountId});
  db.execute("DELETE FROM matching_pairs WHERE newcomer_id = ? OR mentor_id = ?", {accountId, accountId});
  db.execute("UPDATE matching_checkins SET author_id = NULL, note = '' WHERE author_id = ?", {accountId});
  db.execute("DELETE FROM matching_digest_queue WHERE account_id = ?", {accountId});
  db.execute("DELETE FROM matching_digest_sent WHERE account_id = ?", {accountId});
  db.execute("DELETE FROM matching_invitations WHERE account_id = ?", {accountId});
  // Every process's index drops the person when it replays this row.
  LiveIndex::record(context, "volunteer", accountId);
}

}  // namespace matching::plugin
