// Missions for a volunteer, people to invite to a mission, their panels on
// the kernel's pages, and the index's consistency check.
#include <algorithm>
#include <cmath>
#include <set>

#include "Explain.h"
#include "Handlers.h"
#include "LiveIndex.h"
#include "Rules.h"

namespace matching::plugin {
namespace {

using ruche::sdk::Value;

constexpr std::size_t kPageSize = 10;
constexpr std::size_t kPanelSize = 3;
constexpr std::size_t kCheckItems = 500;

long long idParam(const Request& request, const std::string& name) {
  const std::string text = request.param(name);
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw ruche::sdk::notFound("No such item.");
  }
  return std::stoll(text);
}

/// "?, ?, ?" for n values.
std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += i == 0 ? "?" : ", ?";
  }
  return out;
}

/// The visitor's best missions, with their titles and links, as template data.
Value missionsFor(Context& context, const Request& request, std::size_t k) {
  auto index = LiveIndex::current(context);
  long long me = request.visitor().accountId;
  // Only missions of associations where matching is on; ask for more, some are left out.
  std::set<long long> enabled;
  for (const auto& association : context.enabledAssociations()) {
    enabled.insert(association.id);
  }
  // Missions the person already applied to are not suggested again.
  QueryOptions options;
  for (const auto& row : context.db().query("SELECT mission_id FROM applications WHERE account_id = ?", {me})) {
    options.exclude.push_back(row["mission_id"].asInt());
  }
  // A remote-only person (profiles.remote_only) is offered no on-site mission:
  // the core has no such flag, so they are left out here.
  if (!context.db().query("SELECT 1 FROM profiles WHERE account_id = ? AND remote_only = 1", {me}).empty()) {
    for (const auto& row :
         context.db().query("SELECT id FROM missions WHERE mode = 'onsite' AND status = 'published'", {})) {
      options.exclude.push_back(row["id"].asInt());
    }
  }
  auto found = index->topMissionsFor(me, k * 3 + 10, weightsOf(context), context.now(), options);
  Names names = loadNames(context, request.locale());
  Value list = Value::array();
  if (found.empty()) {
    return list;
  }
  std::vector<Value> ids;
  for (const auto& s : found) {
    ids.emplace_back(s.id);
  }
  std::map<long long, ruche::sdk::Row> rows;
  for (auto& row :
       context.db().query("SELECT m.id, m.title, m.association_id, a.name AS association_name FROM missions m "
                          "JOIN associations a ON a.id = m.association_id WHERE m.id IN (" +
                              placeholders(ids.size()) + ")",
                          ids)) {
    rows.emplace(row["id"].asInt(), row);
  }
  for (const auto& s : found) {
    auto row = rows.find(s.id);
    if (row == rows.end() || enabled.count(row->second["association_id"].asInt()) == 0) {
      continue;
    }
    if (list.size() == k) {
      break;
    }
    Value item = suggestionValue(context, s, request.locale(), names);
    item.set("title", row->second["title"].asString());
    item.set("association", row->second["association_name"].asString());
    item.set("url", "/missions/" + std::to_string(s.id));
    list.push(item);
  }
  return list;
}

}  // namespace

void excludeRemoteOnly(Context& context, long long missionId, QueryOptions& options) {
  if (!context.db().query("SELECT 1 FROM missions WHERE id = ? AND mode = 'onsite'", {missionId}).empty()) {
    for (const auto& row : context.db().query("SELECT account_id FROM profiles WHERE remote_only = 1", {})) {
      options.exclude.push_back(row["account_id"].asInt());
    }
  }
}

namespace {

/// The mission of the path, which must belong to the path's association.
ruche::sdk::Row ownMission(Context& context, const Request& request) {
  long long id = idParam(request, "id");
  auto rows = context.db().query("SELECT id, title FROM missions WHERE id = ? AND association_id = ?",
                                 {id, context.association().id});
  if (rows.empty()) {
    throw ruche::sdk::notFound("No mission " + std::to_string(id) + " in this association.");
  }
  return rows.front();
}

/// The best people for a mission among those coordinators may see: members
/// of the association, and people who opted in to suggestions.
Value peopleFor(Context& context, const Request& request, long long missionId, std::size_t k) {
  auto index = LiveIndex::current(context);
  long long now = context.now();
  // Ask for more than shown: some are filtered out below.
  // People who already applied are not "to invite".
  QueryOptions options;
  for (const auto& row : context.db().query(
           "SELECT account_id FROM applications WHERE mission_id = ? AND account_id IS NOT NULL", {missionId})) {
    options.exclude.push_back(row["account_id"].asInt());
  }
  excludeRemoteOnly(context, missionId, options);
  auto found = index->topVolunteersFor(missionId, k * 4 + 20, weightsOf(context), now, options);
  std::set<long long> members;
  for (const auto& row :
       context.db().query("SELECT account_id FROM memberships WHERE association_id = ?", {context.association().id})) {
    members.insert(row["account_id"].asInt());
  }
  std::vector<Suggestion> shown;
  for (const auto& s : found) {
    if (shown.size() == k) {
      break;
    }
    if (members.count(s.id) != 0 || context.profileValue(s.id, kOptInField) == "1") {
      shown.push_back(s);
    }
  }
  Value list = Value::array();
  if (shown.empty()) {
    return list;
  }
  std::vector<Value> ids;
  for (const auto& s : shown) {
    ids.emplace_back(s.id);
  }
  std::map<long long, std::string> namesById;
  for (const auto& row : context.db().query(
           "SELECT id, display_name FROM accounts WHERE id IN (" + placeholders(ids.size()) + ")", ids)) {
    namesById[row["id"].asInt()] = row["display_name"].asString();
  }
  std::set<long long> invited;
  for (const auto& row :
       context.db().query("SELECT account_id FROM matching_invitations WHERE mission_id = ?", {missionId})) {
    invited.insert(row["account_id"].asInt());
  }
  Names names = loadNames(context, request.locale());
  for (const auto& s : shown) {
    index->recordExposure(s.id, now);
    Value item = suggestionValue(context, s, request.locale(), names);
    item.set("name", namesById[s.id]);
    item.set("member", members.count(s.id) != 0);
    item.set("invited", invited.count(s.id) != 0);
    list.push(item);
  }
  return list;
}

/// Whether coordinators of the context's association may see (and invite)
/// this person: a member, or someone who opted in.
bool visibleToCoordinators(Context& context, long long accountId) {
  auto member = context.db().query("SELECT COUNT(*) AS n FROM memberships WHERE account_id = ? AND association_id = ?",
                                   {accountId, context.association().id});
  return member.front()["n"].asInt() > 0 || context.profileValue(accountId, kOptInField) == "1";
}

}  // namespace

Weights weightsOf(Context& context) {
  const auto& settings = context.settings();
  Weights w;
  w.skills = rules::weightOfTenths(settings.integer("weight_skills"));
  w.causes = rules::weightOfTenths(settings.integer("weight_causes"));
  w.languages = rules::weightOfTenths(settings.integer("weight_languages"));
  w.availability = rules::weightOfTenths(settings.integer("weight_availability"));
  w.distance = rules::weightOfTenths(settings.integer("weight_distance"));
  w.feedback = rules::weightOfTenths(settings.integer("weight_feedback"));
  w.urgency = rules::weightOfTenths(settings.integer("weight_urgency"));
  w.fairness = rules::weightOfTenths(settings.integer("weight_fairness"));
  return w;
}

void forYouPage(Context& context, const Request& request, Response& response) {
  Value missions = missionsFor(context, request, kPageSize);
  context.page(response, "for_you", Value::object({{"missions", missions}, {"has_missions", missions.size() > 0}}),
               "matching.for_you.title");
}

void forYouApi(Context& context, const Request& request, Response& response) {
  response.json(Value::object({{"suggestions", missionsFor(context, request, kPageSize)}}).toJson());
}

std::string forYouPanel(Context& context, const Request& request, long long) {
  if (context.enabledAssociations().empty()) {
    return "";  // no association uses matching yet
  }
  Value missions = missionsFor(context, request, kPanelSize);
  return context.render("for_you_panel", Value::object({{"missions", missions},
                                                        {"has_missions", missions.size() > 0},
                                                        {"more_url", "/p/matching/for-you"}}));
}

void invitePage(Context& context, const Request& request, Response& response) {
  auto mission = ownMission(context, request);
  Value people = peopleFor(context, request, mission["id"].asInt(), kPageSize * 2);
  context.page(response, "invite",
               Value::object({{"mission_title", mission["title"].asString()},
                              {"action", "/a/" + context.association().slug + "/matching/missions/" +
                                             mission["id"].asString() + "/invite"},
                              {"invited", request.query("invited") == "1"},
                              {"people", people},
                              {"has_people", people.size() > 0},
                              {"edit_url", "/a/" + context.association().slug + "/manage/missions/" +
                                               mission["id"].asString() + "/edit"}}),
               "matching.invite.title");
}

void inviteAction(Context& context, const Request& request, Response& response) {
  auto mission = ownMission(context, request);
  long long missionId = mission["id"].asInt();
  std::string text = request.form("account_id");
  long long accountId = 0;
  if (!text.empty() && text.size() <= 18 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    accountId = std::stoll(text);
  }
  auto person =
      context.db().query("SELECT email, locale FROM accounts WHERE id = ? AND deleted_at IS NULL", {accountId});
  if (person.empty() || !visibleToCoordinators(context, accountId)) {
    throw ruche::sdk::unprocessable({{"account_id", "is nobody this association may invite", "invitee"}});
  }
  std::string page = "/a/" + context.association().slug + "/matching/missions/" + std::to_string(missionId) + "/invite";
  auto already = context.db().query(
      "SELECT COUNT(*) AS n FROM matching_invitations WHERE mission_id = ? AND account_id = ?", {missionId, accountId});
  if (already.front()["n"].asInt() > 0) {
    response.redirect(page + "?invited=1");
    return;
  }
  context.db().insert(
      "INSERT INTO matching_invitations (mission_id, account_id, invited_by, created_at) VALUES (?, ?, ?, ?)",
      {missionId, accountId, request.visitor().accountId, context.now()});
  std::string locale = person.front()["locale"].asString() == "en" ? "en" : "fr";
  ruche::sdk::Mail mail;
  mail.to = person.front()["email"].asString();
  mail.subject = context.text("matching.invitation.subject", locale) + " " + mission["title"].asString();
  mail.text = context.text("matching.invitation.text", locale) + "\n\n" + mission["title"].asString() + " (" +
              context.association().name + ")\n" + context.baseUrl() + "/missions/" + std::to_string(missionId) + "\n";
  mail.unsubscribeUrl = context.baseUrl() + "/me/profile";
  context.sendMail(mail);
  response.redirect(page + "?invited=1");
}

void inviteApi(Context& context, const Request& request, Response& response) {
  auto mission = ownMission(context, request);
  response.json(Value::object({{"mission_id", mission["id"].asInt()},
                               {"suggestions", peopleFor(context, request, mission["id"].asInt(), kPageSize * 2)}})
                    .toJson());
}

std::string invitePanel(Context& context, const Request& request, long long missionId) {
  Value people = peopleFor(context, request, missionId, kPanelSize + 2);
  return context.render("invite_panel",
                        Value::object({{"people", people},
                                       {"has_people", people.size() > 0},
                                       {"more_url", "/a/" + context.association().slug + "/matching/missions/" +
                                                        std::to_string(missionId) + "/invite"}}));
}

void indexCheckApi(Context& context, const Request&, Response& response) {
  auto live = LiveIndex::current(context);
  std::vector<long long> volunteers;
  std::vector<long long> missions;
  auto fresh = LiveIndex::build(context, &volunteers, &missions);
  // Without fairness: exposure lives in each process's index only.
  Weights weights = weightsOf(context);
  weights.fairness = 0;
  long long now = context.now();
  Value differences = Value::array();
  auto same = [](const std::vector<Suggestion>& a, const std::vector<Suggestion>& b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].id != b[i].id || std::abs(a[i].score - b[i].score) > 1e-9) {
        return false;
      }
    }
    return true;
  };
  // At most kCheckItems of each (the first ids): a health check, not a full audit.
  if (volunteers.size() > kCheckItems) {
    volunteers.resize(kCheckItems);
  }
  if (missions.size() > kCheckItems) {
    missions.resize(kCheckItems);
  }
  for (long long id : volunteers) {
    if (!same(live->topMissionsFor(id, 10, weights, now), fresh->topMissionsFor(id, 10, weights, now))) {
      differences.push(Value::object({{"volunteer", id}}));
    }
  }
  for (long long id : missions) {
    if (!same(live->topVolunteersFor(id, 10, weights, now), fresh->topVolunteersFor(id, 10, weights, now))) {
      differences.push(Value::object({{"mission", id}}));
    }
  }
  auto liveSize = live->size();
  auto freshSize = fresh->size();
  bool consistent =
      differences.size() == 0 && liveSize.volunteers == freshSize.volunteers && liveSize.missions == freshSize.missions;
  response.json(Value::object({{"consistent", consistent},
                               {"volunteers", static_cast<long long>(liveSize.volunteers)},
                               {"missions", static_cast<long long>(liveSize.missions)},
                               {"replayed", LiveIndex::replayedCount(context)},
                               {"memory_bytes", static_cast<long long>(live->memoryBytes())},
                               {"differences", differences}})
                    .toJson());
}

void recordChange(Context& context, const Event& event) {
  const std::string& topic = event.topic;
  const Value& payload = event.payload;
  if (topic.rfind("mission.", 0) == 0) {
    LiveIndex::record(context, "mission", payload["mission_id"].asInt());
  } else if (topic == "profile.updated" || topic == "membership.changed") {
    LiveIndex::record(context, "volunteer", payload["account_id"].asInt());
  } else if (topic == "feedback.given" || topic.rfind("application.", 0) == 0) {
    // Feedback and applications move a person's record and a mission's places.
    auto rows = context.db().query("SELECT mission_id, account_id FROM applications WHERE id = ?",
                                   {payload["application_id"].asInt()});
    if (!rows.empty()) {
      LiveIndex::record(context, "mission", rows.front()["mission_id"].asInt());
      LiveIndex::record(context, "volunteer", rows.front()["account_id"].asInt());
    }
  }
}

}  // namespace matching::plugin
