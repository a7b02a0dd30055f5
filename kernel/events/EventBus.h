#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernel/config/Settings.h"
#include "kernel/storage/Database.h"
#include "kernel/storage/Migration.h"

namespace ruche::events {

/// One thing that happened, as stored in the outbox.
struct Event {
  long long id = 0;
  std::string topic;            ///< e.g. "application.created", "mission.published"
  long long associationId = 0;  ///< 0: federation-wide
  std::string payload;          ///< a JSON object, as text
  long long createdAt = 0;      ///< milliseconds since the epoch
};

/// One attempt to hand an event to one subscriber.
struct Delivery {
  long long id = 0;
  Event event;
  std::string subscriber;
  /// Stable across retries of the same event to the same subscriber
  /// ("<event id>:<subscriber>"): a subscriber uses it to ignore repeats.
  std::string idempotencyKey;
  int attempt = 1;  ///< 1 for the first try
};

/// A subscriber handles one delivery; throwing fails this attempt.
using Subscriber = std::function<void(const Delivery&)>;

/// A delivery that ran out of retries, as the admin panel shows it.
struct DeadLetter {
  long long deliveryId = 0;
  Event event;
  std::string subscriber;
  int attempts = 0;
  std::string lastError;
  long long diedAt = 0;  ///< milliseconds since the epoch
};

/// The defaults are those of the configuration keys events.* (busOptions()).
struct BusOptions {
  int maxAttempts = 6;                          ///< then dead-lettered
  std::chrono::milliseconds firstRetry{1000};   ///< doubled each attempt
  std::chrono::milliseconds pollInterval{200};  ///< when idle; a publish in this process wakes it at once
  int batchSize = 50;
  std::chrono::seconds claimLease{60};  ///< a crashed process's claims expire
  int dispatcherThreads = 1;
  /// Claims start at a floor: the oldest due time a claim of this process
  /// took, minus this. Deliveries done meanwhile are skipped, not walked
  /// again (in a burst, PostgreSQL's index keeps them until VACUUM). A
  /// publisher whose transaction commits later than this after it
  /// published, or a process whose clock is behind this one's by more, is
  /// delivered by the next whole scan instead.
  std::chrono::milliseconds lateCommit{500};
  /// How often a claim scans every due delivery from the start anyway: the
  /// late commits above, and the rows of a dispatcher that died (their
  /// lease ran out), wait at most this long. A whole scan that finds a full
  /// batch of them is followed by another at once, until they are gone.
  std::chrono::milliseconds fullScanEvery{5000};
  /// After a claim that found fewer than batchSize deliveries, a dispatcher
  /// thread waits this long before the next claim (an idle one still
  /// wakes at once): a burst is then claimed in batches, not commit by commit.
  std::chrono::milliseconds gatherDelay{20};
};

/// BusOptions from the configuration keys events.* (max_attempts,
/// first_retry_ms, poll_interval_ms, batch_size, dispatcher_threads).
BusOptions busOptions(const config::EventSettings& settings);

/// The transactional outbox and its dispatcher.
///
/// `publish` writes the event, and one delivery row per subscriber whose
/// pattern matches, in the caller's transaction: no event without its change,
/// no change without its event. Dispatchers (in every `ruche serve` process)
/// claim due deliveries — on PostgreSQL with FOR UPDATE SKIP LOCKED, so
/// several processes share the work — call the subscriber after commit, and
/// record success, a retry with backoff, or the dead-letter state.
class EventBus {
 public:
  EventBus(storage::Database& db, BusOptions options = {});
  ~EventBus();

  /// Registers a subscriber under a unique name. `topicPattern` is an exact
  /// topic, a prefix ending in ".*" ("mission.*"), or "*". Register every
  /// subscriber before start() and before publishing.
  void subscribe(const std::string& name, const std::string& topicPattern, Subscriber subscriber);
  /// The same for a subscriber that wants several topics: one delivery per
  /// event whose topic matches any of `topicPatterns`, none for the others.
  void subscribe(const std::string& name, const std::vector<std::string>& topicPatterns, Subscriber subscriber);

  /// Inside the caller's transaction (`sql` must be the session of a
  /// Database::transaction). Returns the event id. Once that transaction
  /// commits, this process's idle dispatchers wake up (Database::afterCommit).
  long long publish(soci::session& sql, const std::string& topic, long long associationId,
                    const std::string& payloadJson);

  /// Many events of one topic and association, as publish() would write them
  /// one by one, but in a few multi-row statements (chunks of kPublishChunk):
  /// a group commit of many requests' mails costs a handful of round trips.
  void publishMany(soci::session& sql, const std::string& topic, long long associationId,
                   const std::vector<std::string>& payloadsJson);
  static constexpr std::size_t kPublishChunk = 200;

  void start();  ///< dispatcher threads
  void stop();   ///< waits for deliveries in progress

  /// Claims and delivers one batch on the calling thread; returns how many
  /// deliveries were attempted. For tests and for `ruche` commands.
  int dispatchOnce();

  std::vector<DeadLetter> deadLetters(long long associationId = 0);  ///< 0: all
  /// Puts a dead delivery back in the queue, attempts reset; false if unknown.
  bool replay(long long deliveryId);

  /// The migrations of the events module (outbox and deliveries tables).
  static const storage::ModuleMigrations& migrations();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ruche::events
