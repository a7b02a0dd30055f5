#pragma once

#include "kernel/events/EventBus.h"
#include "kernel/storage/Database.h"

namespace ruche::webhooks {

/// The bus subscriber "webhooks" (the topics of Webhooks::topics()): turns each event of an
/// association into pending deliveries for that association's matching
/// webhooks. Safe to run twice for one event (the bus delivers at least once).
/// Wire it in App: bus.subscribe("webhooks", Webhooks::topics(), webhooks::webhookSubscriber(db));
events::Subscriber webhookSubscriber(storage::Database& db);

}  // namespace ruche::webhooks
