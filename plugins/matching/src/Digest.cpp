// The proactive part: when a mission is published, the best-matching people
// who opted in are queued for it; a job mails each person their queue in one
// digest, at most once every `digest_days` days (then the queue waits).
#include "Handlers.h"
#include "LiveIndex.h"
#include "Rules.h"

namespace matching::plugin {
namespace {

using ruche::sdk::Value;

/// Log rows older than this are pruned: every live process has replayed
/// them (an index older than a few hours is rebuilt anyway).
constexpr long long kChangeLogSeconds = 86400;

}  // namespace

void queueDigest(Context& context, const Event& event) {
  long long missionId = event.payload["mission_id"].asInt();
  // The change log row may come from another subscriber later: write one
  // here too, so this transaction's index has the mission.
  LiveIndex::record(context, "mission", missionId);
  auto index = LiveIndex::current(context);
  long long wanted = context.settings().integer("digest_recipients");
  QueryOptions options;
  excludeRemoteOnly(context, missionId, options);
  auto found = index->topVolunteersFor(missionId, static_cast<std::size_t>(wanted) * 4 + 20, weightsOf(context),
                                       context.now(), options);
  long long queued = 0;
  for (const auto& s : found) {
    if (queued == wanted) {
      break;
    }
    if (context.profileValue(s.id, kOptInField) != "1") {
      continue;
    }
    auto already = context.db().query(
        "SELECT COUNT(*) AS n FROM matching_digest_queue WHERE account_id = ? AND mission_id = ?", {s.id, missionId});
    if (already.front()["n"].asInt() == 0) {
      context.db().execute("INSERT INTO matching_digest_queue (account_id, mission_id, created_at) VALUES (?, ?, ?)",
                           {s.id, missionId, context.now()});
    }
    ++queued;
  }
}

void sendDigests(Context& context) {
  long long now = context.now();
  int days = static_cast<int>(context.settings().integer("digest_days"));
  auto people = context.db().query(
      "SELECT DISTINCT q.account_id, a.email, a.locale, s.last_sent_at FROM matching_digest_queue q "
      "JOIN accounts a ON a.id = q.account_id AND a.deleted_at IS NULL "
      "LEFT JOIN matching_digest_sent s ON s.account_id = q.account_id WHERE q.sent_at IS NULL");
  for (const auto& person : people) {
    long long accountId = person["account_id"].asInt();
    if (context.profileValue(accountId, kOptInField) != "1") {
      // Opted out since: their queue is dropped, not kept for later.
      context.db().execute("UPDATE matching_digest_queue SET sent_at = ? WHERE account_id = ? AND sent_at IS NULL",
                           {now, accountId});
      continue;
    }
    if (!rules::digestDue(person["last_sent_at"].asInt(), now, days)) {
      continue;
    }
    std::string locale = person["locale"].asString() == "en" ? "en" : "fr";
    auto missions = context.db().query(
        "SELECT m.id, m.title, a.name AS association_name FROM matching_digest_queue q "
        "JOIN missions m ON m.id = q.mission_id JOIN associations a ON a.id = m.association_id "
        "WHERE q.account_id = ? AND q.sent_at IS NULL AND m.status = 'published' ORDER BY q.id",
        {accountId});
    context.db().execute("UPDATE matching_digest_queue SET sent_at = ? WHERE account_id = ? AND sent_at IS NULL",
                         {now, accountId});
    if (missions.empty()) {
      continue;
    }
    std::string text = context.text("matching.digest.intro", locale) + "\n\n";
    for (const auto& m : missions) {
      text += "- " + m["title"].asString() + " (" + m["association_name"].asString() + ")\n  " + context.baseUrl() +
              "/missions/" + m["id"].asString() + "\n";
    }
    text += "\n" + context.text("matching.digest.more", locale) + " " + context.baseUrl() + "/p/matching/for-you\n";
    ruche::sdk::Mail mail;
    mail.to = person["email"].asString();
    mail.subject = context.plural("matching.digest.subject", static_cast<long long>(missions.size()), locale);
    mail.text = text;
    mail.unsubscribeUrl = context.baseUrl() + "/me/profile";
    context.sendMail(mail);
    if (person["last_sent_at"].isNull()) {
      context.db().execute("INSERT INTO matching_digest_sent (account_id, last_sent_at) VALUES (?, ?)",
                           {accountId, now});
    } else {
      context.db().execute("UPDATE matching_digest_sent SET last_sent_at = ? WHERE account_id = ?", {now, accountId});
    }
  }
}

void pruneChanges(Context& context) {
  context.db().execute("DELETE FROM matching_changes WHERE created_at < ?", {context.now() - kChangeLogSeconds});
}

}  // namespace matching::plugin
