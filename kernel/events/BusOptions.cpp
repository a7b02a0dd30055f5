#include "kernel/events/EventBus.h"

namespace ruche::events {

BusOptions busOptions(const config::EventSettings& settings) {
  BusOptions options;
  options.maxAttempts = settings.maxAttempts;
  options.firstRetry = std::chrono::milliseconds(settings.firstRetryMs);
  options.pollInterval = std::chrono::milliseconds(settings.pollIntervalMs);
  options.batchSize = settings.batchSize;
  options.dispatcherThreads = settings.dispatcherThreads;
  return options;
}

}  // namespace ruche::events
