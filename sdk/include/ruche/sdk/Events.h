#pragma once

#include <functional>
#include <string>

#include "ruche/sdk/Value.h"

namespace ruche::sdk {

class Context;

/// One event delivered to a plugin's subscriber. Delivery is at least once:
/// a subscriber that has an effect outside its own transaction uses
/// `idempotencyKey` to ignore a repeat.
struct Event {
  long long id = 0;
  std::string topic;            ///< "mission.published", "petitions.signed"…
  long long associationId = 0;  ///< 0: federation-wide
  Value payload;                ///< always an object
  long long createdAt = 0;      ///< milliseconds since the epoch
  std::string idempotencyKey;   ///< stable across retries of this delivery
  int attempt = 1;              ///< 1 on the first try
};

/// Handles one event inside its own transaction. Throwing fails this
/// attempt: the kernel retries with backoff, then dead-letters the event
/// (an admin can replay it), and counts the failure against the plugin.
using EventHandler = std::function<void(Context& context, const Event& event)>;

/// Which events reach a subscriber.
enum class EventScope {
  EnabledAssociations,  ///< events of associations where the plugin is on, and federation-wide ones
  AllAssociations,      ///< every event (an index kept across the federation)
};

}  // namespace ruche::sdk
