#include "kernel/events/EventBus.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <unistd.h>

#include "kernel/events/TopicPattern.h"

namespace ruche::events {
namespace {

/// One registered subscriber.
struct Registration {
  std::string name;
  std::vector<std::string> patterns;  ///< the event's topic matches any of them
  Subscriber handler;

  bool wants(const std::string& topic) const {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& pattern) { return topicMatches(pattern, topic); });
  }
};

long long nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Poco::Logger& logger() {
  return Poco::Logger::get("ruche.events");
}

// Names a claim: which process and batch holds a row. Only the holder of
// the token may record the outcome, so a dispatcher whose lease ran out
// never overwrites the outcome of the one that took the row over.
std::string newClaimToken() {
  static thread_local std::mt19937_64 random{std::random_device{}() ^ static_cast<unsigned long long>(getpid())};
  char text[64];
  std::snprintf(text, sizeof text, "%d-%016llx%016llx", static_cast<int>(getpid()),
                static_cast<unsigned long long>(random()), static_cast<unsigned long long>(random()));
  return text;
}

const std::size_t kMaxErrorLength = 2000;

/// Binds `ids` to `st` as :i0, :i1, … and returns ":i0, :i1, …" for an IN list.
std::string bindIds(soci::statement& st, const std::vector<long long>& ids) {
  std::string names;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::string name = "i" + std::to_string(i);
    names += (i == 0 ? ":" : ", :") + name;
    st.exchange(soci::use(ids[i], name));
  }
  return names;
}

/// Runs `update` (an UPDATE … WHERE … ending where " AND id IN (…)" may
/// follow) on the rows `ids` held by `token`, with `time` bound as :t;
/// returns how many rows it changed.
long long updateClaimedRows(storage::Database& db, const std::string& update, const std::vector<long long>& ids,
                            long long time, const std::string& token) {
  storage::Database::Session session(db);
  soci::statement st(*session);
  std::string names = bindIds(st, ids);
  st.exchange(soci::use(time, "t"));
  st.exchange(soci::use(token, "token"));
  st.alloc();
  st.prepare(update + " AND id IN (" + names + ")", soci::details::st_one_time_query);
  st.define_and_bind();
  st.execute(true);
  return st.get_affected_rows();
}

}  // namespace

class EventBus::Impl {
 public:
  Impl(storage::Database& db, BusOptions options) : db_(db), options_(options) {}

  std::vector<Registration> subscribers() {
    std::lock_guard<std::mutex> lock(mutex_);
    return subscribers_;
  }

  void subscribe(const std::string& name, const std::vector<std::string>& patterns, Subscriber handler) {
    if (name.empty() || name.size() > 100) {
      throw std::invalid_argument("a subscriber name has 1 to 100 characters");
    }
    if (patterns.empty()) {
      throw std::invalid_argument("subscriber " + name + ": no topic pattern");
    }
    for (const auto& pattern : patterns) {
      if (!validTopicPattern(pattern)) {
        throw std::invalid_argument("subscriber " + name + ": invalid topic pattern \"" + pattern + "\"");
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& existing : subscribers_) {
      if (existing.name == name) {
        throw std::invalid_argument("a subscriber named " + name + " is already registered");
      }
    }
    subscribers_.push_back(Registration{name, patterns, std::move(handler)});
  }

  storage::Database& database() { return db_; }
  /// Cuts an idle dispatcher's wait short: new deliveries are due.
  void wake() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      woken_ = true;
    }
    wake_.notify_all();
  }
  int dispatchOnce();
  void loop();
  void start();
  void stop();

 private:
  std::vector<Delivery> claim(const std::vector<Registration>& subscribers, const std::string& token);
  /// Where a claim starts in due order: the floor, or 0 for a whole scan
  /// (see BusOptions::lateCommit and fullScanEvery).
  struct ScanStart {
    long long floor = 0;
    bool whole = false;
  };
  ScanStart scanStart(long long now);
  /// Moves the floor up to the claim's oldest due time (minus lateCommit);
  /// `full`: the claim took a whole batch.
  void afterClaim(const ScanStart& start, bool full, long long oldestClaimed);
  long long lateCommitMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(options_.lateCommit).count();
  }
  void renewLease(const std::vector<Delivery>& claimed, const std::string& token);
  /// Marks the deliveries delivered, in one statement.
  void recordSuccesses(const std::vector<const Delivery*>& delivered, const std::string& token);
  void recordFailure(const Delivery& delivery, const std::string& token, const std::string& error);

  storage::Database& db_;
  BusOptions options_;
  std::mutex mutex_;
  std::vector<Registration> subscribers_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;  ///< set by wake(), so a wake-up during a batch is not lost
  std::vector<std::thread> threads_;
  std::mutex floorMutex_;
  long long scanFloor_ = 0;       ///< claims start here (ms, next_attempt_at)...
  long long nextFullScanAt_ = 0;  ///< ...except one from the start at this time
};

std::vector<Delivery> EventBus::Impl::claim(const std::vector<Registration>& subscribers, const std::string& token) {
  long long now = nowMs();
  long long lockedUntil = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.claimLease).count();
  ScanStart start = scanStart(now);
  const int limit = std::max(options_.batchSize, 1);
  std::string names;
  for (std::size_t i = 0; i != subscribers.size(); ++i) {
    names += (i == 0 ? ":s" : ", :s") + std::to_string(i);
  }
  // Only rows this process can deliver: a subscriber registered elsewhere
  // (another process, a plugin not loaded here) is left to its owner.
  std::string due =
      "SELECT id FROM event_deliveries WHERE status = 'pending' AND next_attempt_at >= :floor "
      "AND next_attempt_at <= :due AND locked_until <= :free AND subscriber IN (" +
      names + ") ORDER BY next_attempt_at, id LIMIT " + std::to_string(limit);
  // On PostgreSQL the due rows are picked once (MATERIALIZED): as a plain
  // IN (subquery), the planner may run the LIMIT … SKIP LOCKED subquery
  // again on the inside of a join and claim more rows than the limit.
  std::string text =
      db_.backend() == storage::Backend::Postgres
          ? "WITH picked AS MATERIALIZED (" + due +
                " FOR UPDATE SKIP LOCKED) UPDATE event_deliveries SET claim_token = :token, locked_until = :until, "
                "attempts = attempts + 1 FROM picked WHERE event_deliveries.id = picked.id RETURNING "
                "event_deliveries.id"
          : "UPDATE event_deliveries SET claim_token = :token, locked_until = :until, attempts = attempts + 1 "
            "WHERE id IN (" +
                due + ") RETURNING id";
  std::vector<Delivery> claimed;
  long long oldestClaimed = 0;
  db_.transaction([&](soci::session& sql) {
    if (db_.backend() == storage::Backend::Postgres) {
      // The pending index holds an entry for every delivery done since the
      // last VACUUM until then. A bitmap scan (the planner's choice when
      // its statistics saw few pending rows) visits them all on every
      // claim; an index scan in claim order marks them dead once and stops
      // at its batch.
      sql << "SET LOCAL enable_bitmapscan = off";
    }
    // RETURNING names the claimed rows, so claim_token needs no index: the
    // claim changes no indexed column, and PostgreSQL adds no index entry
    // for it where the row's page has room (a HOT update).
    // (SOCI fills at most the vector's size and drops further rows
    // silently; the LIMIT above keeps within it.)
    std::vector<long long> ids(static_cast<std::size_t>(limit));
    {
      soci::statement st(sql);
      st.exchange(soci::into(ids));
      st.exchange(soci::use(start.floor, "floor"));
      st.exchange(soci::use(now, "due"));
      st.exchange(soci::use(now, "free"));
      for (std::size_t i = 0; i != subscribers.size(); ++i) {
        st.exchange(soci::use(subscribers[i].name, "s" + std::to_string(i)));
      }
      st.exchange(soci::use(token, "token"));
      st.exchange(soci::use(lockedUntil, "until"));
      st.alloc();
      st.prepare(text);
      st.define_and_bind();
      if (!st.execute(true)) {
        ids.clear();
      }
    }
    if (ids.empty()) {
      return;
    }
    Delivery row;
    long long dueAt = 0;
    soci::statement st(sql);
    std::string names = bindIds(st, ids);
    st.exchange(soci::into(row.id));
    st.exchange(soci::into(row.subscriber));
    st.exchange(soci::into(row.attempt));
    st.exchange(soci::into(dueAt));
    st.exchange(soci::into(row.event.id));
    st.exchange(soci::into(row.event.topic));
    st.exchange(soci::into(row.event.associationId));
    st.exchange(soci::into(row.event.payload));
    st.exchange(soci::into(row.event.createdAt));
    st.alloc();
    st.prepare(
        "SELECT d.id, d.subscriber, d.attempts, d.next_attempt_at, e.id, e.topic, e.association_id, e.payload, "
        "e.created_at FROM event_deliveries d JOIN event_outbox e ON e.id = d.event_id WHERE d.id IN (" +
            names + ") ORDER BY d.next_attempt_at, d.id",
        soci::details::st_one_time_query);
    st.define_and_bind();
    st.execute();
    while (st.fetch()) {
      row.idempotencyKey = std::to_string(row.event.id) + ":" + row.subscriber;
      if (claimed.empty()) {
        oldestClaimed = dueAt;  // ordered by next_attempt_at
      }
      claimed.push_back(row);
    }
  });
  if (!claimed.empty()) {
    afterClaim(start, claimed.size() == static_cast<std::size_t>(limit), oldestClaimed);
  }
  return claimed;
}

EventBus::Impl::ScanStart EventBus::Impl::scanStart(long long now) {
  std::lock_guard<std::mutex> lock(floorMutex_);
  // A clock stepped back must not hide what is published from now on.
  scanFloor_ = std::min(scanFloor_, now - lateCommitMs());
  if (now >= nextFullScanAt_) {
    nextFullScanAt_ = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.fullScanEvery).count();
    return {0, true};
  }
  return {scanFloor_, false};
}

void EventBus::Impl::afterClaim(const ScanStart& start, bool full, long long oldestClaimed) {
  std::lock_guard<std::mutex> lock(floorMutex_);
  if (start.whole && full && oldestClaimed < scanFloor_) {
    // A whole scan found rows behind the floor (a late commit, a dead
    // process's lapsed claims) and may not have taken them all: the next
    // claim scans from the start again, until they are gone.
    nextFullScanAt_ = 0;
  }
  scanFloor_ = std::max(scanFloor_, oldestClaimed - lateCommitMs());
}

void EventBus::Impl::renewLease(const std::vector<Delivery>& claimed, const std::string& token) {
  long long lockedUntil = nowMs() + std::chrono::duration_cast<std::chrono::milliseconds>(options_.claimLease).count();
  std::vector<long long> ids;
  for (const auto& delivery : claimed) {
    ids.push_back(delivery.id);
  }
  updateClaimedRows(db_,
                    "UPDATE event_deliveries SET locked_until = :t WHERE claim_token = :token AND status = 'pending'",
                    ids, lockedUntil, token);
}

void EventBus::Impl::recordSuccesses(const std::vector<const Delivery*>& delivered, const std::string& token) {
  if (delivered.empty()) {
    return;
  }
  // One statement (and, on PostgreSQL, one commit) for the batch's
  // successes instead of one each: in a burst the dispatcher keeps up.
  std::vector<long long> ids;
  for (const auto* delivery : delivered) {
    ids.push_back(delivery->id);
  }
  long long marked = updateClaimedRows(db_,
                                       "UPDATE event_deliveries SET status = 'delivered', delivered_at = :t, "
                                       "locked_until = 0, claim_token = NULL, last_error = NULL "
                                       "WHERE claim_token = :token",
                                       ids, nowMs(), token);
  if (marked != static_cast<long long>(delivered.size())) {
    logger().warning("%Ld of %z deliveries outlived their claim; another dispatcher may deliver them again",
                     static_cast<long long>(delivered.size()) - marked, delivered.size());
  }
}

void EventBus::Impl::recordFailure(const Delivery& delivery, const std::string& token, const std::string& error) {
  long long now = nowMs();
  std::string lastError = error.substr(0, kMaxErrorLength);
  storage::Database::Session session(db_);
  if (delivery.attempt >= options_.maxAttempts) {
    *session << "UPDATE event_deliveries SET status = 'dead', dead_at = :now, locked_until = 0, claim_token = NULL, "
                "last_error = :error WHERE id = :id AND claim_token = :token",
        soci::use(now), soci::use(lastError), soci::use(delivery.id), soci::use(token);
    logger().error("delivery %Ld of %s to %s is dead after %d attempts: %s", delivery.id, delivery.event.topic,
                   delivery.subscriber, delivery.attempt, lastError);
    return;
  }
  int doublings = std::clamp(delivery.attempt - 1, 0, 30);
  long long delay = std::chrono::duration_cast<std::chrono::milliseconds>(options_.firstRetry).count() << doublings;
  long long next = now + delay;
  *session << "UPDATE event_deliveries SET next_attempt_at = :next, locked_until = 0, claim_token = NULL, "
              "last_error = :error WHERE id = :id AND claim_token = :token",
      soci::use(next), soci::use(lastError), soci::use(delivery.id), soci::use(token);
}

int EventBus::Impl::dispatchOnce() {
  std::vector<Registration> registered = subscribers();
  if (registered.empty()) {
    return 0;
  }
  std::string token = newClaimToken();
  std::vector<Delivery> claimed = claim(registered, token);
  long long leaseMs = std::chrono::duration_cast<std::chrono::milliseconds>(options_.claimLease).count();
  long long renewAt = nowMs() + leaseMs / 2;
  std::vector<const Delivery*> delivered;  // not yet marked so
  // Successes are marked together, but at least this often: fast handlers
  // (a mail handed to the mailer) share one statement, slow ones (over
  // 100 ms each) are marked one by one as before, and a process that dies
  // delivers again only what it sent in its last 100 ms plus the one in
  // progress (a plugin's batch of mails: up to 100 mails), as at-least-once
  // delivery allows.
  constexpr long long kMarkEveryMs = 100;
  long long markAt = nowMs() + kMarkEveryMs;
  for (const auto& delivery : claimed) {
    if (nowMs() >= markAt) {
      recordSuccesses(delivered, token);
      delivered.clear();
      markAt = nowMs() + kMarkEveryMs;
    }
    // A slow batch keeps its rows: the lease is pushed forward while this
    // process is alive, and lapses only when it dies.
    if (nowMs() >= renewAt) {
      renewLease(claimed, token);
      renewAt = nowMs() + leaseMs / 2;
    }
    auto it = std::find_if(registered.begin(), registered.end(),
                           [&](const Registration& r) { return r.name == delivery.subscriber; });
    std::string error;
    try {
      it->handler(delivery);
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) {
        error = "exception without a message";
      }
    } catch (...) {
      error = "unknown exception";
    }
    if (error.empty()) {
      delivered.push_back(&delivery);
    } else {
      logger().warning("subscriber %s failed on event %Ld (%s), attempt %d: %s", delivery.subscriber, delivery.event.id,
                       delivery.event.topic, delivery.attempt, error);
      recordFailure(delivery, token, error);
    }
  }
  recordSuccesses(delivered, token);
  return static_cast<int>(claimed.size());
}

void EventBus::Impl::loop() {
  for (;;) {
    int attempted = 0;
    try {
      attempted = dispatchOnce();
    } catch (const std::exception& e) {
      logger().error("dispatcher: %s", std::string(e.what()));
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (stopping_) {
      return;
    }
    if (attempted == 0) {
      wake_.wait_for(lock, options_.pollInterval, [this] { return stopping_ || woken_; });
      if (stopping_) {
        return;
      }
    } else if (attempted < options_.batchSize && options_.gatherDelay.count() > 0) {
      // A partial batch: in a burst every commit wakes the dispatcher, and
      // claiming each commit's few deliveries cost the database more than
      // the deliveries. Waiting a moment lets the next claim take a batch.
      wake_.wait_for(lock, options_.gatherDelay, [this] { return stopping_; });
      if (stopping_) {
        return;
      }
    }
    woken_ = false;
  }
}

void EventBus::Impl::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!threads_.empty()) {
    return;
  }
  stopping_ = false;
  for (int i = 0; i < std::max(options_.dispatcherThreads, 1); ++i) {
    threads_.emplace_back([this] { loop(); });
  }
}

void EventBus::Impl::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (auto& thread : threads) {
    thread.join();
  }
}

EventBus::EventBus(storage::Database& db, BusOptions options) : impl_(std::make_unique<Impl>(db, options)) {}

EventBus::~EventBus() {
  stop();
}

void EventBus::subscribe(const std::string& name, const std::string& topicPattern, Subscriber subscriber) {
  impl_->subscribe(name, {topicPattern}, std::move(subscriber));
}

void EventBus::subscribe(const std::string& name, const std::vector<std::string>& topicPatterns,
                         Subscriber subscriber) {
  impl_->subscribe(name, topicPatterns, std::move(subscriber));
}

namespace {

void checkEvent(const std::string& topic, const std::string& payloadJson) {
  if (!validTopic(topic)) {
    throw std::invalid_argument("invalid event topic \"" + topic + "\"");
  }
  auto first = payloadJson.find_first_not_of(" \t\r\n");
  auto last = payloadJson.find_last_not_of(" \t\r\n");
  if (first == std::string::npos || payloadJson[first] != '{' || payloadJson[last] != '}') {
    throw std::invalid_argument("the payload of " + topic + " must be a JSON object");
  }
}

/// "(:x0, :y0), (:x1, :y1)…": one group of distinct placeholders per row
/// (SOCI binds each name once, so a repeated name would not do).
std::string valueRows(const std::vector<std::string>& columns, std::size_t rows) {
  std::string text;
  for (std::size_t row = 0; row < rows; ++row) {
    text += row == 0 ? "(" : ", (";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      text += (c == 0 ? ":" : ", :") + columns[c] + std::to_string(row);
    }
    text += ")";
  }
  return text;
}

/// Binds events start … start + rows − 1 of `payloadsJson` to `insert`;
/// returns their INSERT into the outbox, without RETURNING.
std::string bindEventRows(soci::statement& insert, const std::string& topic, const long long& associationId,
                          const std::vector<std::string>& payloadsJson, std::size_t start, std::size_t rows,
                          const long long& now) {
  for (std::size_t row = 0; row < rows; ++row) {
    std::string n = std::to_string(row);
    insert.exchange(soci::use(topic, "t" + n));
    insert.exchange(soci::use(associationId, "a" + n));
    insert.exchange(soci::use(payloadsJson[start + row], "p" + n));
    insert.exchange(soci::use(now, "c" + n));
  }
  return "INSERT INTO event_outbox (topic, association_id, payload, created_at) VALUES " +
         valueRows({"t", "a", "p", "c"}, rows);
}

/// PostgreSQL: one chunk of events and each one's deliveries to `wanting`
/// in one statement (the deliveries' INSERT reads the events' RETURNING),
/// a round trip less than two statements for a group commit's mails.
void publishChunkWithDeliveries(soci::session& sql, const std::string& topic, long long associationId,
                                const std::vector<std::string>& payloadsJson, std::size_t start, std::size_t rows,
                                const std::vector<std::string>& wanting, long long now) {
  soci::statement insert(sql);
  std::string text = bindEventRows(insert, topic, associationId, payloadsJson, start, rows, now);
  if (!wanting.empty()) {
    // status, attempts and locked_until take their defaults: pending, 0, 0.
    for (std::size_t i = 0; i < wanting.size(); ++i) {
      insert.exchange(soci::use(wanting[i], "s" + std::to_string(i)));
    }
    insert.exchange(soci::use(now, "due"));
    text = "WITH events AS (" + text +
           " RETURNING id) INSERT INTO event_deliveries (event_id, subscriber, next_attempt_at) "
           "SELECT events.id, wanting.name, CAST(:due AS BIGINT) FROM events CROSS JOIN (VALUES " +
           valueRows({"s"}, wanting.size()) + ") AS wanting(name)";
  }
  insert.alloc();
  insert.prepare(text, soci::details::st_one_time_query);
  insert.define_and_bind();
  insert.execute(true);
}

}  // namespace

void EventBus::publishMany(soci::session& sql, const std::string& topic, long long associationId,
                           const std::vector<std::string>& payloadsJson) {
  for (const auto& payload : payloadsJson) {
    checkEvent(topic, payload);
  }
  std::vector<std::string> wanting;
  for (const auto& subscriber : impl_->subscribers()) {
    if (subscriber.wants(topic)) {
      wanting.push_back(subscriber.name);
    }
  }
  long long now = nowMs();
  bool postgres = impl_->database().backend() == storage::Backend::Postgres;
  for (std::size_t start = 0; start < payloadsJson.size(); start += kPublishChunk) {
    std::size_t rows = std::min(kPublishChunk, payloadsJson.size() - start);
    if (postgres) {
      publishChunkWithDeliveries(sql, topic, associationId, payloadsJson, start, rows, wanting, now);
      continue;
    }
    std::vector<long long> ids(rows);
    long long onlyId = 0;  // SOCI's SQLite backend fills no one-element vector from RETURNING
    {
      soci::statement insert(sql);
      if (rows == 1) {
        insert.exchange(soci::into(onlyId));
      } else {
        insert.exchange(soci::into(ids));
      }
      std::string text = bindEventRows(insert, topic, associationId, payloadsJson, start, rows, now);
      insert.alloc();
      insert.prepare(text + " RETURNING id", soci::details::st_one_time_query);
      insert.define_and_bind();
      bool returned = insert.execute(true);
      if (rows == 1) {
        ids.assign(returned ? 1 : 0, onlyId);
      }
    }
    if (ids.size() != rows) {
      throw std::runtime_error("the event insert returned " + std::to_string(ids.size()) + " ids for " +
                               std::to_string(rows) + " events");
    }
    for (const auto& name : wanting) {
      soci::statement deliveries(sql);
      for (std::size_t row = 0; row < rows; ++row) {
        std::string n = std::to_string(row);
        deliveries.exchange(soci::use(ids[row], "e" + n));
        deliveries.exchange(soci::use(name, "s" + n));
        deliveries.exchange(soci::use(now, "n" + n));
      }
      deliveries.alloc();
      deliveries.prepare(
          // status, attempts and locked_until take their defaults: pending, 0, 0.
          "INSERT INTO event_deliveries (event_id, subscriber, next_attempt_at) VALUES " +
              valueRows({"e", "s", "n"}, rows),
          soci::details::st_one_time_query);
      deliveries.define_and_bind();
      deliveries.execute(true);
    }
  }
  if (!wanting.empty() && !payloadsJson.empty()) {
    impl_->database().afterCommit([impl = impl_.get()] { impl->wake(); });
  }
}

long long EventBus::publish(soci::session& sql, const std::string& topic, long long associationId,
                            const std::string& payloadJson) {
  checkEvent(topic, payloadJson);
  long long now = nowMs();
  long long id = 0;
  sql << "INSERT INTO event_outbox (topic, association_id, payload, created_at) VALUES (:t, :a, :p, :c) RETURNING id",
      soci::use(topic), soci::use(associationId), soci::use(payloadJson), soci::use(now), soci::into(id);
  bool queued = false;
  for (const auto& subscriber : impl_->subscribers()) {
    if (!subscriber.wants(topic)) {
      continue;
    }
    sql << "INSERT INTO event_deliveries (event_id, subscriber, status, attempts, next_attempt_at, locked_until) "
           "VALUES (:e, :s, 'pending', 0, :n, 0)",
        soci::use(id), soci::use(subscriber.name), soci::use(now);
    queued = true;
  }
  if (queued) {
    // This process's dispatcher starts on it as soon as it is visible, not
    // at its next poll (other processes still find it by polling).
    impl_->database().afterCommit([impl = impl_.get()] { impl->wake(); });
  }
  return id;
}

void EventBus::start() {
  impl_->start();
}

void EventBus::stop() {
  impl_->stop();
}

int EventBus::dispatchOnce() {
  return impl_->dispatchOnce();
}

std::vector<DeadLetter> EventBus::deadLetters(long long associationId) {
  std::string text =
      "SELECT d.id, e.id, e.topic, e.association_id, e.payload, e.created_at, d.subscriber, d.attempts, "
      "COALESCE(d.last_error, ''), COALESCE(d.dead_at, 0) FROM event_deliveries d "
      "JOIN event_outbox e ON e.id = d.event_id WHERE d.status = 'dead'";
  if (associationId != 0) {
    text += " AND e.association_id = :a";
  }
  text += " ORDER BY d.dead_at DESC, d.id DESC LIMIT 500";
  std::vector<DeadLetter> result;
  DeadLetter row;
  storage::Database::Session session(impl_->database());
  soci::statement st(*session);
  st.exchange(soci::into(row.deliveryId));
  st.exchange(soci::into(row.event.id));
  st.exchange(soci::into(row.event.topic));
  st.exchange(soci::into(row.event.associationId));
  st.exchange(soci::into(row.event.payload));
  st.exchange(soci::into(row.event.createdAt));
  st.exchange(soci::into(row.subscriber));
  st.exchange(soci::into(row.attempts));
  st.exchange(soci::into(row.lastError));
  st.exchange(soci::into(row.diedAt));
  if (associationId != 0) {
    st.exchange(soci::use(associationId));
  }
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
  st.execute();
  while (st.fetch()) {
    result.push_back(row);
  }
  return result;
}

bool EventBus::replay(long long deliveryId) {
  long long now = nowMs();
  bool replayed = false;
  impl_->database().transaction([&](soci::session& sql) {
    soci::statement st = (sql.prepare << "UPDATE event_deliveries SET status = 'pending', attempts = 0, "
                                         "next_attempt_at = :now, locked_until = 0, claim_token = NULL, "
                                         "dead_at = NULL WHERE id = :id AND status = 'dead'",
                          soci::use(now), soci::use(deliveryId));
    st.execute(true);
    replayed = st.get_affected_rows() == 1;
  });
  if (replayed) {
    logger().information("delivery %Ld replayed", deliveryId);
  }
  return replayed;
}

}  // namespace ruche::events
