#include "kernel/webhooks/Webhooks.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <sstream>

#include "kernel/auth/Secrets.h"
#include "kernel/http/Validator.h"
#include "kernel/webhooks/RowValues.h"
#include "kernel/webhooks/TargetGuard.h"
#include "kernel/webhooks/WebhookSigner.h"

namespace ruche::webhooks {
namespace {

constexpr std::size_t kMaxUrlLength = 500;

const std::string kDeliveryColumns =
    "d.id, d.webhook_id, w.url, d.message_id, d.topic, d.status, d.attempts, d.response_status, d.last_error, "
    "d.created_at, d.next_attempt_at, d.delivered_at";

WebhookDelivery deliveryFrom(const soci::row& row) {
  WebhookDelivery d;
  d.id = wholeNumber(row, 0);
  d.webhookId = wholeNumber(row, 1);
  d.url = row.get<std::string>(2);
  d.messageId = row.get<std::string>(3);
  d.topic = row.get<std::string>(4);
  d.status = row.get<std::string>(5);
  d.attempts = static_cast<int>(wholeNumber(row, 6));
  d.responseStatus = static_cast<int>(wholeNumber(row, 7));
  d.lastError = row.get<std::string>(8);
  d.createdAt = wholeNumber(row, 9);
  d.nextAttemptAt = wholeNumber(row, 10);
  d.deliveredAt = wholeNumber(row, 11);
  return d;
}

bool validUrl(const std::string& url) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return false;
  }
  try {
    Poco::URI uri(url);
    return !uri.getHost().empty() && url.find_first_of(" \t\r\n") == std::string::npos;
  } catch (const Poco::Exception&) {
    return false;
  }
}

void insertDelivery(soci::session& sql, long long webhookId, soci::indicator eventIndicator, long long eventId,
                    const std::string& topic, const std::string& payload, long long occurredAt, long long now) {
  std::string messageId = "msg_" + auth::randomToken(18);
  sql << "INSERT INTO webhook_deliveries (webhook_id, event_id, message_id, topic, payload, occurred_at, status, "
         "attempts, next_attempt_at, last_error, created_at) "
         "VALUES (:w, :e, :m, :t, :p, :o, 'pending', 0, :n, '', :c) "
         "ON CONFLICT (webhook_id, event_id) DO NOTHING",
      soci::use(webhookId), soci::use(eventId, eventIndicator), soci::use(messageId), soci::use(topic),
      soci::use(payload), soci::use(occurredAt), soci::use(now), soci::use(now);
}

}  // namespace

const std::vector<std::string>& Webhooks::topics() {
  static const std::vector<std::string> list = {"application.created", "application.status_changed",
                                                "mission.published", "hours.logged", "hours.validated"};
  return list;
}

std::vector<std::string> splitTopics(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) {
      out.push_back(item);
    }
  }
  return out;
}

std::string joinTopics(const std::vector<std::string>& topics) {
  std::string out;
  for (const auto& topic : topics) {
    out += (out.empty() ? "" : ",") + topic;
  }
  return out;
}

CreatedWebhook Webhooks::create(long long associationId, const std::string& url,
                                const std::vector<std::string>& chosen) {
  http::Validator v;
  std::string cleanUrl = v.text("url", url, 1, kMaxUrlLength);
  if (v.ok() && !validUrl(cleanUrl)) {
    v.add("url", "invalid_url", "must be an http:// or https:// address");
  } else if (v.ok()) {
    if (auto refusal = urlRefusal(cleanUrl, policy_)) {
      v.add("url", "forbidden_target", "must be a public address: " + *refusal);
    }
  }
  std::vector<std::string> kept;
  for (const auto& topic : topics()) {  // the fixed order, each once
    if (std::find(chosen.begin(), chosen.end(), topic) != chosen.end()) {
      kept.push_back(topic);
    }
  }
  if (kept.empty() || kept.size() != chosen.size()) {
    v.add("topics", "invalid_topics", "choose at least one event from the list");
  }
  v.check();
  CreatedWebhook created;
  created.secret = WebhookSigner::newSecret();
  std::string joined = joinTopics(kept);
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    sql << "INSERT INTO webhooks (association_id, url, topics, secret, active, created_at) "
           "VALUES (:a, :u, :t, :s, 1, :c) RETURNING id",
        soci::use(associationId), soci::use(cleanUrl), soci::use(joined), soci::use(created.secret), soci::use(now),
        soci::into(created.id);
  });
  return created;
}

std::vector<Webhook> Webhooks::list(long long associationId) {
  std::vector<Webhook> out;
  storage::Database::Session s(db_);
  soci::rowset<soci::row> rows = (s->prepare << "SELECT id, url, topics, active, created_at FROM webhooks "
                                                "WHERE association_id = :a ORDER BY id",
                                  soci::use(associationId));
  for (const auto& row : rows) {
    Webhook w;
    w.id = wholeNumber(row, 0);
    w.associationId = associationId;
    w.url = row.get<std::string>(1);
    w.topics = splitTopics(row.get<std::string>(2));
    w.active = static_cast<int>(wholeNumber(row, 3)) != 0;
    w.createdAt = wholeNumber(row, 4);
    out.push_back(w);
  }
  return out;
}

std::optional<Webhook> Webhooks::find(long long associationId, long long id) {
  for (auto& w : list(associationId)) {
    if (w.id == id) {
      return w;
    }
  }
  return std::nullopt;
}

bool Webhooks::remove(long long associationId, long long id) {
  bool removed = false;
  db_.transaction([&](soci::session& sql) {
    long long found = 0;
    sql << "SELECT COUNT(*) FROM webhooks WHERE id = :i AND association_id = :a", soci::use(id),
        soci::use(associationId), soci::into(found);
    if (found == 0) {
      return;
    }
    sql << "DELETE FROM webhook_deliveries WHERE webhook_id = :i", soci::use(id);
    sql << "DELETE FROM webhooks WHERE id = :i", soci::use(id);
    removed = true;
  });
  return removed;
}

int Webhooks::enqueue(soci::session& sql, const events::Event& event) {
  if (event.associationId == 0) {
    return 0;  // federation-wide events have no association webhooks
  }
  std::vector<long long> targets;
  {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, topics FROM webhooks WHERE association_id = :a AND active = 1 ORDER BY id",
         soci::use(event.associationId));
    for (const auto& row : rows) {
      auto topics = splitTopics(row.get<std::string>(1));
      if (std::find(topics.begin(), topics.end(), event.topic) != topics.end()) {
        targets.push_back(wholeNumber(row, 0));
      }
    }
  }
  int added = 0;
  long long now = storage::nowSeconds();
  std::string payload = event.payload.empty() ? "{}" : event.payload;
  long long occurredAt = event.createdAt != 0 ? event.createdAt : now;
  for (long long webhookId : targets) {
    long long before = 0;
    sql << "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = :w AND event_id = :e", soci::use(webhookId),
        soci::use(event.id), soci::into(before);
    if (before != 0) {
      continue;
    }
    insertDelivery(sql, webhookId, soci::i_ok, event.id, event.topic, payload, occurredAt, now);
    ++added;
  }
  return added;
}

long long Webhooks::enqueueTest(long long associationId, long long webhookId) {
  if (!find(associationId, webhookId)) {
    return 0;
  }
  long long id = 0;
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    insertDelivery(sql, webhookId, soci::i_null, 0, "webhook.test",
                   "{\"webhook_id\":" + std::to_string(webhookId) + "}", now, now);
    sql << "SELECT MAX(id) FROM webhook_deliveries WHERE webhook_id = :w", soci::use(webhookId), soci::into(id);
  });
  return id;
}

std::vector<WebhookDelivery> Webhooks::recentDeliveries(long long associationId, int limit) {
  std::vector<WebhookDelivery> out;
  storage::Database::Session s(db_);
  soci::rowset<soci::row> rows = (s->prepare << "SELECT " + kDeliveryColumns +
                                                    " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                                                    "WHERE w.association_id = :a ORDER BY d.id DESC LIMIT :l",
                                  soci::use(associationId), soci::use(limit));
  for (const auto& row : rows) {
    out.push_back(deliveryFrom(row));
  }
  return out;
}

std::optional<WebhookDelivery> Webhooks::delivery(long long deliveryId) {
  storage::Database::Session s(db_);
  soci::rowset<soci::row> rows = (s->prepare << "SELECT " + kDeliveryColumns +
                                                    " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                                                    "WHERE d.id = :i",
                                  soci::use(deliveryId));
  for (const auto& row : rows) {
    return deliveryFrom(row);
  }
  return std::nullopt;
}

const storage::ModuleMigrations& Webhooks::migrations() {
  static const storage::ModuleMigrations module{"webhooks", {{1, "webhooks and their deliveries", R"SQL(
CREATE TABLE webhooks (
  id {{id}},
  association_id BIGINT NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  topics TEXT NOT NULL,
  secret TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE INDEX webhooks_association ON webhooks (association_id, active);
CREATE TABLE webhook_deliveries (
  id {{id}},
  webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_id BIGINT,
  message_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  response_status INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  delivered_at BIGINT,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
)SQL"}}};
  return module;
}

}  // namespace ruche::webhooks
