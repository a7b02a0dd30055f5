#include "kernel/domain/PersonalData.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <sstream>
#include <vector>

#include "kernel/domain/Profiles.h"
#include "kernel/http/HttpError.h"

namespace ruche::domain {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr newObject() {
  return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

std::string isoTime(long long epochSeconds) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(epochSeconds)),
                                         Poco::DateTimeFormat::ISO8601_FORMAT);
}

// A nullable timestamp: ISO text, or JSON null.
Poco::Dynamic::Var optionalTime(long long value, soci::indicator indicator) {
  if (indicator != soci::i_ok) {
    return Poco::Dynamic::Var();
  }
  return isoTime(value);
}

Object::Ptr profileJson(const Profile& p) {
  Object::Ptr o = newObject();
  o->set("display_name", p.displayName);
  o->set("bio", p.bio);
  o->set("place", p.place);
  o->set("remote_only", p.remoteOnly);
  o->set("hours_per_week", p.hoursPerWeek);
  o->set("timezone", p.timezone);
  o->set("locale", p.locale);
  Array::Ptr skills = new Array;
  for (const auto& s : p.skills) {
    skills->add(s);
  }
  o->set("skills", skills);
  Array::Ptr causes = new Array;
  for (const auto& c : p.causes) {
    causes->add(c);
  }
  o->set("causes", causes);
  Array::Ptr languages = new Array;
  for (const auto& l : p.languages) {
    Object::Ptr item = newObject();
    item->set("code", l.code);
    item->set("level", l.level);
    languages->add(item);
  }
  o->set("languages", languages);
  Array::Ptr slots = new Array;
  for (const auto& s : p.availability) {
    Object::Ptr item = newObject();
    item->set("weekday", s.weekday);
    item->set("start", s.start);
    item->set("end", s.end);
    slots->add(item);
  }
  o->set("availability", slots);
  return o;
}

Object::Ptr accountJson(soci::session& sql, long long accountId) {
  std::string email;
  std::string name;
  std::string locale;
  std::string timezone;
  long long created = 0;
  long long verified = 0;
  int admin = 0;
  soci::indicator emailInd = soci::i_ok;
  soci::indicator verifiedInd = soci::i_ok;
  sql << "SELECT email, display_name, locale, timezone, created_at, email_verified_at, federation_admin "
         "FROM accounts WHERE id = :a AND deleted_at IS NULL",
      soci::use(accountId), soci::into(email, emailInd), soci::into(name), soci::into(locale), soci::into(timezone),
      soci::into(created), soci::into(verified, verifiedInd), soci::into(admin);
  if (!sql.got_data()) {
    throw http::notFound("No such account.");
  }
  Object::Ptr o = newObject();
  o->set("email", emailInd == soci::i_ok ? Poco::Dynamic::Var(email) : Poco::Dynamic::Var());
  o->set("display_name", name);
  o->set("locale", locale);
  o->set("timezone", timezone);
  o->set("created", isoTime(created));
  o->set("email_verified", optionalTime(verified, verifiedInd));
  o->set("federation_admin", admin != 0);
  return o;
}

Array::Ptr membershipsJson(soci::session& sql, long long accountId) {
  Array::Ptr list = new Array;
  std::string slug;
  std::string name;
  std::string role;
  long long since = 0;
  soci::statement st = (sql.prepare << "SELECT a.slug, a.name, m.role, m.created_at FROM memberships m "
                                       "JOIN associations a ON a.id = m.association_id "
                                       "WHERE m.account_id = :a ORDER BY a.name, a.id",
                        soci::use(accountId), soci::into(slug), soci::into(name), soci::into(role), soci::into(since));
  st.execute();
  while (st.fetch()) {
    Object::Ptr item = newObject();
    item->set("association", name);
    item->set("association_slug", slug);
    item->set("role", role);
    item->set("since", isoTime(since));
    list->add(item);
  }
  return list;
}

Array::Ptr applicationsJson(soci::session& sql, long long accountId) {
  struct Row {
    long long id = 0;
    std::string mission;
    std::string association;
    std::string status;
    std::string motivation;
    long long created = 0;
    long long updated = 0;
  };
  std::vector<Row> rows;
  {
    Row row;
    soci::statement st =
        (sql.prepare << "SELECT ap.id, mi.title, a.name, ap.status, ap.motivation, ap.created_at, "
                        "ap.updated_at FROM applications ap "
                        "JOIN missions mi ON mi.id = ap.mission_id "
                        "JOIN associations a ON a.id = mi.association_id "
                        "WHERE ap.account_id = :a ORDER BY ap.created_at, ap.id",
         soci::use(accountId), soci::into(row.id), soci::into(row.mission), soci::into(row.association),
         soci::into(row.status), soci::into(row.motivation), soci::into(row.created), soci::into(row.updated));
    st.execute();
    while (st.fetch()) {
      rows.push_back(row);
    }
  }
  Array::Ptr list = new Array;
  for (const auto& row : rows) {
    Object::Ptr item = newObject();
    item->set("mission", row.mission);
    item->set("association", row.association);
    item->set("status", row.status);
    item->set("motivation", row.motivation);
    item->set("created", isoTime(row.created));
    item->set("updated", isoTime(row.updated));
    Array::Ptr history = new Array;
    std::string from;
    std::string to;
    std::string note;
    long long at = 0;
    soci::statement st = (sql.prepare << "SELECT from_status, to_status, note, at FROM application_events "
                                         "WHERE application_id = :i ORDER BY at, id",
                          soci::use(row.id), soci::into(from), soci::into(to), soci::into(note), soci::into(at));
    st.execute();
    while (st.fetch()) {
      Object::Ptr event = newObject();
      event->set("from", from);
      event->set("to", to);
      event->set("note", note);
      event->set("at", isoTime(at));
      history->add(event);
    }
    item->set("history", history);
    list->add(item);
  }
  return list;
}

Array::Ptr hoursJson(soci::session& sql, long long accountId) {
  Array::Ptr list = new Array;
  std::string day;
  int minutes = 0;
  std::string note;
  std::string status;
  std::string association;
  std::string mission;
  soci::statement st = (sql.prepare << "SELECT h.day, h.minutes, h.note, h.status, a.name, mi.title FROM hours h "
                                       "JOIN associations a ON a.id = h.association_id "
                                       "JOIN applications ap ON ap.id = h.application_id "
                                       "JOIN missions mi ON mi.id = ap.mission_id "
                                       "WHERE h.account_id = :a ORDER BY h.day, h.id",
                        soci::use(accountId), soci::into(day), soci::into(minutes), soci::into(note),
                        soci::into(status), soci::into(association), soci::into(mission));
  st.execute();
  while (st.fetch()) {
    Object::Ptr item = newObject();
    item->set("day", day);
    item->set("minutes", minutes);
    item->set("note", note);
    item->set("status", status);
    item->set("association", association);
    item->set("mission", mission);
    list->add(item);
  }
  return list;
}

// Feedback written by the person (`given`) or about them by an association.
Array::Ptr feedbackJson(soci::session& sql, long long accountId, bool given) {
  Array::Ptr list = new Array;
  int rating = 0;
  std::string comment;
  long long created = 0;
  std::string mission;
  std::string association;
  std::string query =
      "SELECT f.rating, f.comment, f.created_at, mi.title, a.name FROM feedback f "
      "JOIN applications ap ON ap.id = f.application_id "
      "JOIN missions mi ON mi.id = ap.mission_id "
      "JOIN associations a ON a.id = mi.association_id ";
  query += given ? "WHERE f.author_account_id = :a " : "WHERE ap.account_id = :a AND f.direction = 'from_association' ";
  query += "ORDER BY f.created_at, f.id";
  soci::statement st = (sql.prepare << query, soci::use(accountId), soci::into(rating), soci::into(comment),
                        soci::into(created), soci::into(mission), soci::into(association));
  st.execute();
  while (st.fetch()) {
    Object::Ptr item = newObject();
    item->set("mission", mission);
    item->set("association", association);
    item->set("rating", rating);
    item->set("comment", comment);
    item->set("created", isoTime(created));
    list->add(item);
  }
  return list;
}

Array::Ptr tokensJson(soci::session& sql, long long accountId) {
  Array::Ptr list = new Array;
  std::string name;
  long long created = 0;
  long long lastUsed = 0;
  long long revoked = 0;
  soci::indicator lastUsedInd = soci::i_ok;
  soci::indicator revokedInd = soci::i_ok;
  soci::statement st = (sql.prepare << "SELECT name, created_at, last_used_at, revoked_at FROM api_tokens "
                                       "WHERE account_id = :a ORDER BY id",
                        soci::use(accountId), soci::into(name), soci::into(created), soci::into(lastUsed, lastUsedInd),
                        soci::into(revoked, revokedInd));
  st.execute();
  while (st.fetch()) {
    Object::Ptr item = newObject();
    item->set("name", name);
    item->set("created", isoTime(created));
    item->set("last_used", optionalTime(lastUsed, lastUsedInd));
    item->set("revoked", optionalTime(revoked, revokedInd));
    list->add(item);
  }
  return list;
}

// What the person did for an association: steps they moved on other people's
// applications (with their notes), hours they validated, missions they wrote
// or are the referent of.
Object::Ptr actionsJson(soci::session& sql, long long accountId) {
  Object::Ptr actions = newObject();
  {
    Array::Ptr steps = new Array;
    std::string mission;
    std::string to;
    std::string note;
    long long at = 0;
    soci::statement st =
        (sql.prepare << "SELECT m.title, e.to_status, e.note, e.at FROM application_events e "
                        "JOIN applications a ON a.id = e.application_id "
                        "JOIN missions m ON m.id = a.mission_id "
                        "WHERE e.actor_account_id = :a AND (a.account_id IS NULL OR a.account_id <> :a2) "
                        "ORDER BY e.id",
         soci::use(accountId), soci::use(accountId), soci::into(mission), soci::into(to), soci::into(note),
         soci::into(at));
    st.execute();
    while (st.fetch()) {
      Object::Ptr item = newObject();
      item->set("mission", mission);
      item->set("to", to);
      item->set("note", note);
      item->set("at", isoTime(at));
      steps->add(item);
    }
    actions->set("application_steps_moved", steps);
  }
  {
    Array::Ptr validated = new Array;
    std::string day;
    int minutes = 0;
    std::string status;
    soci::statement st = (sql.prepare << "SELECT day, minutes, status FROM hours WHERE validated_by = :a ORDER BY id",
                          soci::use(accountId), soci::into(day), soci::into(minutes), soci::into(status));
    st.execute();
    while (st.fetch()) {
      Object::Ptr item = newObject();
      item->set("day", day);
      item->set("minutes", minutes);
      item->set("decision", status);
      validated->add(item);
    }
    actions->set("hours_decided", validated);
  }
  {
    Array::Ptr missions = new Array;
    std::string title;
    long long createdBy = 0;
    long long referent = 0;
    soci::indicator createdInd = soci::i_null;
    soci::indicator referentInd = soci::i_null;
    soci::statement st = (sql.prepare << "SELECT title, created_by, referent_account_id FROM missions "
                                         "WHERE created_by = :a OR referent_account_id = :a2 ORDER BY id",
                          soci::use(accountId), soci::use(accountId), soci::into(title),
                          soci::into(createdBy, createdInd), soci::into(referent, referentInd));
    st.execute();
    while (st.fetch()) {
      Object::Ptr item = newObject();
      item->set("title", title);
      item->set("created_by_you", createdInd == soci::i_ok && createdBy == accountId);
      item->set("you_are_referent", referentInd == soci::i_ok && referent == accountId);
      missions->add(item);
    }
    actions->set("missions", missions);
  }
  return actions;
}

Array::Ptr sessionsJson(soci::session& sql, long long accountId) {
  Array::Ptr list = new Array;
  long long created = 0;
  long long lastSeen = 0;
  soci::statement st =
      (sql.prepare << "SELECT created_at, last_seen_at FROM sessions WHERE account_id = :a ORDER BY created_at",
       soci::use(accountId), soci::into(created), soci::into(lastSeen));
  st.execute();
  while (st.fetch()) {
    Object::Ptr item = newObject();
    item->set("signed_in", isoTime(created));
    item->set("last_seen", isoTime(lastSeen));
    list->add(item);
  }
  return list;
}

}  // namespace

Object::Ptr PersonalData::exportJson(long long accountId) {
  Profile profile = Profiles(db_).load(accountId);
  storage::Database::Session session(db_);
  soci::session& sql = *session;
  Object::Ptr doc = newObject();
  doc->set("format", "ruche-personal-data/1");
  doc->set("exported", isoTime(storage::nowSeconds()));
  doc->set("account", accountJson(sql, accountId));
  doc->set("profile", profileJson(profile));
  doc->set("memberships", membershipsJson(sql, accountId));
  doc->set("applications", applicationsJson(sql, accountId));
  doc->set("hours", hoursJson(sql, accountId));
  doc->set("feedback_given", feedbackJson(sql, accountId, true));
  doc->set("feedback_received", feedbackJson(sql, accountId, false));
  doc->set("api_tokens", tokensJson(sql, accountId));
  doc->set("sessions", sessionsJson(sql, accountId));
  doc->set("actions_for_associations", actionsJson(sql, accountId));
  if (parts_ != nullptr) {
    Object::Ptr plugins = newObject();
    Object::Ptr account = doc->getObject("account");
    std::string email = account && account->has("email") && !account->get("email").isEmpty()
                            ? account->getValue<std::string>("email")
                            : "";
    for (const auto& [module, json] : parts_->exportPersonalData(accountId, email)) {
      plugins->set(module, Poco::JSON::Parser().parse(json));
    }
    doc->set("plugins", plugins);
  }
  return doc;
}

std::string PersonalData::exportText(long long accountId) {
  std::ostringstream out;
  exportJson(accountId)->stringify(out, 2);
  out << "\n";
  return out.str();
}

void PersonalData::deleteAccount(long long accountId) {
  long long now = storage::nowSeconds();
  std::string deletedName = kDeletedName;
  db_.transaction([&](soci::session& sql) {
    // The login throttle keys rows by address: read it before it is erased.
    std::string email;
    soci::indicator emailInd = soci::i_null;
    sql << "SELECT email FROM accounts WHERE id = :a", soci::use(accountId), soci::into(email, emailInd);
    if (parts_ != nullptr) {
      parts_->erasePersonalData(accountId, emailInd == soci::i_ok ? email : "");
    }
    if (emailInd == soci::i_ok) {
      std::string throttleKey = "account:" + email;
      sql << "DELETE FROM login_attempts WHERE throttle_key = :k", soci::use(throttleKey);
    }
    soci::statement account =
        (sql.prepare << "UPDATE accounts SET email = NULL, password_hash = NULL, display_name = :n, "
                        "email_verified_at = NULL, federation_admin = 0, deleted_at = :t "
                        "WHERE id = :a AND deleted_at IS NULL",
         soci::use(deletedName), soci::use(now), soci::use(accountId));
    account.execute(true);
    if (account.get_affected_rows() == 0) {
      throw http::notFound("No such account.");
    }
    // What only described the person goes.
    for (const char* table : {"profiles", "profile_skills", "profile_causes", "profile_languages", "availability_slots",
                              "memberships", "sessions", "api_tokens", "email_tokens"}) {
      sql << std::string("DELETE FROM ") + table + " WHERE account_id = :a", soci::use(accountId);
    }
    // Open applications are withdrawn, with a trace in their history.
    sql << "INSERT INTO application_events (application_id, from_status, to_status, actor_account_id, note, at) "
           "SELECT id, status, 'withdrawn', NULL, '', :t FROM applications "
           "WHERE account_id = :a AND status NOT IN ('completed', 'withdrawn', 'declined')",
        soci::use(now), soci::use(accountId);
    sql << "UPDATE applications SET status = 'withdrawn', updated_at = :t "
           "WHERE account_id = :a AND status NOT IN ('completed', 'withdrawn', 'declined')",
        soci::use(now), soci::use(accountId);
    // The associations' records stay, without the person or their words
    // (notes a coordinator wrote about other people are kept).
    sql << "UPDATE application_events SET note = '' WHERE actor_account_id = :a "
           "AND application_id IN (SELECT id FROM applications WHERE account_id = :b)",
        soci::use(accountId), soci::use(accountId);
    sql << "UPDATE applications SET account_id = NULL, motivation = '' WHERE account_id = :a", soci::use(accountId);
    sql << "UPDATE hours SET account_id = NULL, note = '' WHERE account_id = :a", soci::use(accountId);
    sql << "UPDATE feedback SET author_account_id = NULL, comment = '' WHERE author_account_id = :a",
        soci::use(accountId);
    sql << "UPDATE application_events SET actor_account_id = NULL WHERE actor_account_id = :a", soci::use(accountId);
    sql << "UPDATE applications SET referent_account_id = NULL WHERE referent_account_id = :a", soci::use(accountId);
    sql << "UPDATE missions SET referent_account_id = NULL WHERE referent_account_id = :a", soci::use(accountId);
    sql << "UPDATE missions SET created_by = NULL WHERE created_by = :a", soci::use(accountId);
    sql << "UPDATE hours SET validated_by = NULL WHERE validated_by = :a", soci::use(accountId);
  });
}

}  // namespace ruche::domain
