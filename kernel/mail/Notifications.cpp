#include "kernel/mail/Notifications.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <exception>
#include <map>
#include <stdexcept>
#include <vector>

#include "kernel/mail/NotificationPreferences.h"
#include "kernel/mail/UnsubscribeTokens.h"

namespace ruche::mail {
namespace {

struct Recipient {
  long long id = 0;
  std::string email;
  std::string name;
  std::string locale;
};

/// One notification to send: its kind, who gets it, the page it links to and
/// the values of its placeholders (besides {name} and {link}).
struct Notice {
  std::string kind;
  std::vector<Recipient> recipients;
  std::string path;
  std::map<std::string, std::string> values;
};

std::string fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    std::string from = "{" + key + "}";
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + value.size())) {
      text.replace(pos, from.size(), value);
    }
  }
  return text;
}

long long number(const Poco::JSON::Object::Ptr& payload, const std::string& key) {
  if (!payload->has(key)) {
    throw std::runtime_error("event payload has no " + key);
  }
  return payload->getValue<long long>(key);
}

std::string text(const Poco::JSON::Object::Ptr& payload, const std::string& key) {
  return payload->has(key) ? payload->getValue<std::string>(key) : std::string();
}

// Accounts that can receive mail: not deleted, with an address.
constexpr const char* kRecipientColumns = "SELECT ac.id, ac.email, ac.display_name, ac.locale FROM accounts ac ";
constexpr const char* kReachable = " AND ac.deleted_at IS NULL AND ac.email IS NOT NULL ORDER BY ac.id";

std::vector<Recipient> recipients(soci::session& sql, const std::string& where, long long id) {
  std::vector<Recipient> found;
  Recipient r;
  soci::statement st = (sql.prepare << std::string(kRecipientColumns) + where + kReachable, soci::use(id),
                        soci::into(r.id), soci::into(r.email), soci::into(r.name), soci::into(r.locale));
  st.execute();
  while (st.fetch()) {
    found.push_back(r);
  }
  return found;
}

struct ApplicationFacts {
  std::string mission;
  std::string slug;
  std::string volunteer;
};

ApplicationFacts applicationFacts(soci::session& sql, long long applicationId) {
  ApplicationFacts facts;
  soci::indicator volunteerInd = soci::i_null;
  sql << "SELECT m.title, a.slug, v.display_name FROM applications ap JOIN missions m ON m.id = ap.mission_id "
         "JOIN associations a ON a.id = m.association_id LEFT JOIN accounts v ON v.id = ap.account_id "
         "WHERE ap.id = :i",
      soci::use(applicationId), soci::into(facts.mission), soci::into(facts.slug),
      soci::into(facts.volunteer, volunteerInd);
  if (!sql.got_data()) {
    throw std::runtime_error("no application " + std::to_string(applicationId));
  }
  return facts;
}

}  // namespace

void Notifications::subscribe(events::EventBus& bus) {
  bus.subscribe("mail", "application.*", [this](const events::Delivery& d) { deliver(d); });
  bus.subscribe("mail.hours", "hours.validated", [this](const events::Delivery& d) { deliver(d); });
  // Reminders the scheduled jobs publish.
  bus.subscribe("mail.reminders", "mission.reminder", [this](const events::Delivery& d) { deliver(d); });
  bus.subscribe("mail.followup", "volunteer.weekly_followup", [this](const events::Delivery& d) { deliver(d); });
}

void Notifications::deliver(const events::Delivery& delivery) {
  const std::string& topic = delivery.event.topic;
  static const std::vector<std::string> mailed = {"application.created", "application.status_changed",
                                                  "hours.validated",     "application.unanswered",
                                                  "mission.reminder",    "volunteer.weekly_followup"};
  if (std::find(mailed.begin(), mailed.end(), topic) == mailed.end()) {
    return;
  }
  auto payload = Poco::JSON::Parser().parse(delivery.event.payload).extract<Poco::JSON::Object::Ptr>();
  Notice notice;
  {
    storage::Database::Session session(db_);
    soci::session& sql = *session;
    if (topic == "application.created") {
      long long applicationId = number(payload, "application_id");
      ApplicationFacts facts = applicationFacts(sql, applicationId);
      notice.kind = "application_received";
      notice.path = "/a/" + facts.slug + "/manage/applications/" + std::to_string(applicationId);
      notice.values = {{"mission", facts.mission}, {"volunteer", facts.volunteer}};
      notice.recipients = recipients(sql,
                                     "JOIN memberships ms ON ms.account_id = ac.id WHERE ms.association_id = "
                                     "(SELECT m.association_id FROM applications ap JOIN missions m ON m.id = "
                                     "ap.mission_id WHERE ap.id = :i) AND ms.role IN ('coordinator', 'admin')",
                                     applicationId);
    } else if (topic == "application.status_changed") {
      long long applicationId = number(payload, "application_id");
      ApplicationFacts facts = applicationFacts(sql, applicationId);
      notice.kind = "application_status";
      notice.path = "/me/applications/" + std::to_string(applicationId);
      notice.values = {{"mission", facts.mission}, {"status", text(payload, "to")}};
      notice.recipients =
          recipients(sql, "JOIN applications ap ON ap.account_id = ac.id WHERE ap.id = :i", applicationId);
      // The volunteer's own steps (signing the charter, withdrawing) need no mail.
      long long actor = payload->has("actor_account_id") ? payload->getValue<long long>("actor_account_id") : 0;
      std::erase_if(notice.recipients, [actor](const Recipient& r) { return r.id == actor; });
    } else if (topic == "application.unanswered") {
      long long applicationId = number(payload, "application_id");
      ApplicationFacts facts = applicationFacts(sql, applicationId);
      notice.kind = "application_unanswered";
      notice.path = "/a/" + facts.slug + "/manage/applications/" + std::to_string(applicationId);
      notice.values = {{"mission", facts.mission},
                       {"volunteer", facts.volunteer},
                       {"days", std::to_string(number(payload, "days"))}};
      notice.recipients = recipients(sql,
                                     "JOIN memberships ms ON ms.account_id = ac.id WHERE ms.association_id = "
                                     "(SELECT m.association_id FROM applications ap JOIN missions m ON m.id = "
                                     "ap.mission_id WHERE ap.id = :i) AND ms.role IN ('coordinator', 'admin')",
                                     applicationId);
    } else if (topic == "mission.reminder") {
      long long applicationId = number(payload, "application_id");
      notice.kind = "mission_reminder";
      notice.path = "/me/applications/" + std::to_string(applicationId);
      notice.values = {{"mission", text(payload, "mission")}, {"day", text(payload, "starts_on")}};
      notice.recipients =
          recipients(sql, "JOIN applications ap ON ap.account_id = ac.id WHERE ap.id = :i", applicationId);
    } else if (topic == "volunteer.weekly_followup") {
      notice.kind = "weekly_followup";
      notice.path = "/me/applications";
      notice.values = {{"count", std::to_string(number(payload, "active_applications"))}};
      notice.recipients = recipients(sql, "WHERE ac.id = :i", number(payload, "account_id"));
    } else {
      long long hoursId = number(payload, "hours_id");
      long long applicationId = 0;
      std::string day;
      int minutes = 0;
      sql << "SELECT application_id, day, minutes FROM hours WHERE id = :h", soci::use(hoursId),
          soci::into(applicationId), soci::into(day), soci::into(minutes);
      if (!sql.got_data()) {
        return;  // deleted since: nothing to say
      }
      ApplicationFacts facts = applicationFacts(sql, applicationId);
      notice.kind = "hours_validated";
      notice.path = "/me/applications/" + std::to_string(applicationId);
      notice.values = {{"mission", facts.mission},
                       {"day", day},
                       {"hours", std::to_string(minutes / 60) + "h" + (minutes % 60 < 10 ? "0" : "") +
                                     std::to_string(minutes % 60)}};
      notice.recipients = recipients(sql, "JOIN hours h ON h.account_id = ac.id WHERE h.id = :i", hoursId);
    }
  }

  NotificationPreferences preferences(db_);
  UnsubscribeTokens tokens(db_);
  std::string failure;
  for (const auto& recipient : notice.recipients) {
    if (!preferences.enabled(recipient.id, notice.kind)) {
      continue;
    }
    long long already = 0;
    {
      storage::Database::Session session(db_);
      *session << "SELECT COUNT(*) FROM mail_sent WHERE delivery_key = :k AND account_id = :a",
          soci::use(delivery.idempotencyKey), soci::use(recipient.id), soci::into(already);
    }
    if (already != 0) {
      continue;
    }
    std::string locale = recipient.locale == "en" ? "en" : "fr";
    std::string unsubscribe = baseUrl_ + "/unsubscribe?token=" + tokens.issue(recipient.id, notice.kind);
    std::map<std::string, std::string> values = notice.values;
    if (notice.kind == "application_status") {
      values["status"] = texts_.text(locale, "applications.step." + values["status"]);
    }
    values["name"] = recipient.name;
    values["link"] = baseUrl_ + notice.path;
    std::string prefix = "notifications.mail." + notice.kind;
    OutgoingMail mail;
    mail.to = recipient.email;
    mail.subject = fill(texts_.text(locale, prefix + ".subject"), values);
    std::string message = fill(texts_.text(locale, prefix + ".body"), values);
    std::string settings = baseUrl_ + "/me/notifications";
    mail.body =
        message + "\n\n-- \n" +
        fill(texts_.text(locale, "notifications.mail.footer"), {{"settings", settings}, {"unsubscribe", unsubscribe}});
    MailFooter footer;
    footer.reason = fill(texts_.text(locale, "mail.layout.reason_notification"),
                         {{"kind", texts_.text(locale, "notifications.kind." + notice.kind)}});
    footer.unsubscribeUrl = unsubscribe;
    footer.settingsUrl = settings;
    mail.html = layout_.render(locale, mail.subject, message, footer);
    mail.headers.emplace_back("List-Unsubscribe", "<" + unsubscribe + ">");
    try {
      mailer_.send(mail);
    } catch (const std::exception& e) {
      // Try the others; the bus retries this delivery for those not mailed.
      failure = e.what();
      continue;
    }
    long long now = storage::nowSeconds();
    db_.transaction([&](soci::session& sql) {
      sql << "INSERT INTO mail_sent (delivery_key, account_id, sent_at) VALUES (:k, :a, :t) "
             "ON CONFLICT (delivery_key, account_id) DO NOTHING",
          soci::use(delivery.idempotencyKey), soci::use(recipient.id), soci::use(now);
    });
  }
  if (!failure.empty()) {
    throw std::runtime_error(failure);
  }
}

}  // namespace ruche::mail
