#include "kernel/webhooks/WebhookSubscriber.h"

#include "kernel/webhooks/Webhooks.h"

namespace ruche::webhooks {

events::Subscriber webhookSubscriber(storage::Database& db) {
  return [&db](const events::Delivery& delivery) {
    db.transaction([&](soci::session& sql) { Webhooks(db).enqueue(sql, delivery.event); });
  };
}

}  // namespace ruche::webhooks
