#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/events/EventBus.h"
#include "kernel/storage/Database.h"
#include "kernel/storage/Migration.h"
#include "kernel/webhooks/TargetGuard.h"

namespace ruche::webhooks {

/// An outgoing webhook an association admin registered.
struct Webhook {
  long long id = 0;
  long long associationId = 0;
  std::string url;
  std::vector<std::string> topics;
  bool active = true;
  long long createdAt = 0;
};

/// What creation returns: the secret is shown once, then only used to sign.
struct CreatedWebhook {
  long long id = 0;
  std::string secret;
};

/// One message to one webhook and how its sending went.
struct WebhookDelivery {
  long long id = 0;
  long long webhookId = 0;
  std::string url;
  std::string messageId;
  std::string topic;
  std::string status;  ///< pending | delivered | failed (will retry) | dead (gave up)
  int attempts = 0;
  int responseStatus = 0;  ///< 0: no HTTP answer yet (or none at all)
  std::string lastError;
  long long createdAt = 0;
  long long nextAttemptAt = 0;
  long long deliveredAt = 0;  ///< 0: not delivered
};

/// The webhooks of the associations and their delivery queue.
class Webhooks {
 public:
  /// `policy` decides which URLs create() accepts (webhooks.allow_private).
  explicit Webhooks(storage::Database& db, TargetPolicy policy = {}) : db_(db), policy_(policy) {}

  /// The kernel topics an admin may choose from, in display order.
  static const std::vector<std::string>& topics();

  /// Validates (url http(s)://…, ≤ 500 characters, whose host is not, and
  /// does not resolve to, an address the policy refuses — code
  /// "forbidden_target"; topics from topics()) and stores; throws http 422
  /// with field errors "url" and "topics".
  CreatedWebhook create(long long associationId, const std::string& url, const std::vector<std::string>& topics);
  std::vector<Webhook> list(long long associationId);
  /// Only a webhook of `associationId`: others are as good as missing.
  std::optional<Webhook> find(long long associationId, long long id);
  /// Removes the webhook and its deliveries; false if it is not the association's.
  bool remove(long long associationId, long long id);

  /// In the caller's transaction: one pending delivery per active webhook of
  /// the event's association whose topics include the event's topic. A
  /// repeated call for the same event adds nothing (UNIQUE(webhook, event)).
  /// Returns how many deliveries were added.
  int enqueue(soci::session& sql, const events::Event& event);

  /// Queues a "webhook.test" message to one webhook of the association;
  /// returns the delivery id, or 0 if the webhook is not the association's.
  long long enqueueTest(long long associationId, long long webhookId);

  /// The latest deliveries of the association's webhooks, newest first.
  std::vector<WebhookDelivery> recentDeliveries(long long associationId, int limit = 50);
  std::optional<WebhookDelivery> delivery(long long deliveryId);

  /// The "webhooks" module migrations (webhooks, webhook_deliveries).
  static const storage::ModuleMigrations& migrations();

 private:
  storage::Database& db_;
  TargetPolicy policy_;
};

/// "a,b,c" ↔ list, as the topics column stores them.
std::vector<std::string> splitTopics(const std::string& text);
std::string joinTopics(const std::vector<std::string>& topics);

}  // namespace ruche::webhooks
