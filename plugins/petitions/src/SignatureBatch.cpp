// Group commit of new signatures: see SignatureBatch.h.
#include "SignatureBatch.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <tuple>

#include "PgArray.h"
#include "Rules.h"
#include "Wakeup.h"

namespace petitions {
namespace {

using ruche::sdk::Context;
using ruche::sdk::Value;
using Result = PendingSignature::Result;

/// At most this many signatures in one commit: 15 values each stays far
/// below both backends' limits on bound parameters, and one slow batch does
/// not hold hundreds of answers.
constexpr std::size_t kMaxBatch = 200;

/// "(?, ?, ?), (?, ?, ?)": `rows` groups of `columns` placeholders.
std::string placeholders(std::size_t rows, std::size_t columns) {
  std::string group = "(";
  for (std::size_t c = 0; c < columns; ++c) {
    group += c == 0 ? "?" : ", ?";
  }
  group += ")";
  std::string text;
  for (std::size_t r = 0; r < rows; ++r) {
    text += (r == 0 ? "" : ", ") + group;
  }
  return text;
}

/// Counts the batch's attempts per (petition, IP) in one upsert and marks
/// the attempts past the limit TooMany, in arrival order: the k-th of c
/// attempts of a pair stands at (count after the batch) - c + k.
void countAttempts(Context& context, const std::vector<PendingSignature*>& batch) {
  std::map<std::pair<long long, std::string>, long long> attempts;
  for (const auto* item : batch) {
    ++attempts[{item->petitionId, item->ip}];
  }
  long long now = context.now();
  long long windowStart = now - kIpWindowSeconds;
  // The pairs in key order (the map's), on every path: two batches that
  // share pairs lock their rows in the same order.
  std::string rowsToCount;
  std::vector<Value> params;
  if (context.db().backend() == "postgresql") {
    // One array per column, as for the signatures: three parameters, not four per pair.
    std::vector<long long> petitionIds, counts;
    std::vector<std::string> ips;
    for (const auto& [key, count] : attempts) {
      petitionIds.push_back(key.first);
      ips.push_back(key.second);
      counts.push_back(count);
    }
    rowsToCount =
        "SELECT petition_id, ip, ?, n FROM unnest(CAST(? AS BIGINT[]), CAST(? AS TEXT[]), "
        "CAST(? AS BIGINT[])) AS a(petition_id, ip, n)";
    params = {now, integerArray(petitionIds), textArray(ips), integerArray(counts)};
  } else {
    rowsToCount = "VALUES " + placeholders(attempts.size(), 4);
    for (const auto& [key, count] : attempts) {
      params.insert(params.end(), {key.first, key.second, now, count});
    }
  }
  params.insert(params.end(), {windowStart, windowStart});
  auto rows = context.db().query(
      "INSERT INTO petitions_ip_counts (petition_id, ip, window_start, n) " + rowsToCount +
          " ON CONFLICT (petition_id, ip) DO UPDATE SET "
          "n = CASE WHEN petitions_ip_counts.window_start <= ? THEN excluded.n "
          "ELSE petitions_ip_counts.n + excluded.n END, "
          "window_start = CASE WHEN petitions_ip_counts.window_start <= ? THEN excluded.window_start "
          "ELSE petitions_ip_counts.window_start END RETURNING petition_id, ip, n",
      params);
  std::map<std::pair<long long, std::string>, long long> counted;
  for (const auto& row : rows) {
    counted[{row["petition_id"].asInt(), row["ip"].asString()}] = row["n"].asInt();
  }
  long long limit = context.settings().integer("ip_limit");
  std::map<std::pair<long long, std::string>, long long> seen;
  for (auto* item : batch) {
    std::pair<long long, std::string> key{item->petitionId, item->ip};
    long long standing = counted[key] - attempts[key] + ++seen[key];
    if (standing > limit) {
      item->result = Result::TooMany;
    }
  }
}

/// Inserts `candidates`' signatures, RETURNING id, petition_id and
/// email_key of those that were new. On PostgreSQL each column is one array
/// parameter (see PgArray.h); on SQLite (whose batches hold one signature)
/// one row of placeholders per signature.
ruche::sdk::Rows insertSignatures(Context& context, const std::vector<PendingSignature*>& candidates) {
  const char* const kColumns =
      "petition_id, email, email_key, name, postcode, country, comment, consent, token, token_expires_at, "
      "mailed_at, created_at, locale, withdraw_hash, linked_by_id";
  long long now = context.now();
  if (context.db().backend() == "postgresql") {
    std::vector<long long> petitionIds, consents, expiries;
    std::vector<std::string> emails, keys, names, postcodes, countries, comments, tokens, locales, withdrawals;
    for (const auto* item : candidates) {
      const SignatureInput& in = item->input;
      petitionIds.push_back(item->petitionId);
      emails.push_back(in.normalised->address);
      keys.push_back(in.normalised->key);
      names.push_back(in.name);
      postcodes.push_back(in.postcode);
      countries.push_back(in.country);
      comments.push_back(in.comment);
      consents.push_back(in.consent ? 1 : 0);
      tokens.push_back(item->confirmHash);
      expiries.push_back(item->expiresAt);
      locales.push_back(in.locale);
      withdrawals.push_back(item->withdrawHash);
    }
    return context.db().query(
        std::string("INSERT INTO petitions_signatures (") + kColumns +
            ") SELECT petition_id, email, email_key, name, postcode, country, comment, consent, token, "
            "token_expires_at, ?, ?, locale, withdraw_hash, 1 FROM unnest(CAST(? AS BIGINT[]), CAST(? AS TEXT[]), "
            "CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), "
            "CAST(? AS INTEGER[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), "
            "CAST(? AS TEXT[])) AS i(petition_id, email, email_key, name, postcode, country, comment, "
            "consent, token, token_expires_at, locale, withdraw_hash) "
            "ON CONFLICT (petition_id, email_key) DO NOTHING RETURNING id, petition_id, email_key",
        {now, now, integerArray(petitionIds), textArray(emails), textArray(keys), textArray(names),
         textArray(postcodes), textArray(countries), textArray(comments), integerArray(consents), textArray(tokens),
         integerArray(expiries), textArray(locales), textArray(withdrawals)});
  }
  std::vector<Value> params;
  for (const auto* item : candidates) {
    const SignatureInput& in = item->input;
    params.insert(params.end(), {item->petitionId, in.normalised->address, in.normalised->key, in.name, in.postcode,
                                 in.country, in.comment, in.consent ? 1 : 0, item->confirmHash, item->expiresAt, now,
                                 now, in.locale, item->withdrawHash, 1});
  }
  return context.db().query(std::string("INSERT INTO petitions_signatures (") + kColumns + ") VALUES " +
                                placeholders(candidates.size(), 15) +
                                " ON CONFLICT (petition_id, email_key) DO NOTHING RETURNING id, petition_id, email_key",
                            params);
}

/// Inserts the batch's signatures that are new; the others (the address
/// signed before, or twice in this batch) are marked Conflict.
std::vector<std::pair<PendingSignature*, long long>> insertNew(Context& context,
                                                               const std::vector<PendingSignature*>& batch) {
  // Of two tabs signing with one address, the first is the candidate and
  // the other a Conflict (decided by the one-by-one path, after this batch).
  std::vector<PendingSignature*> candidates;
  std::set<std::pair<long long, std::string>> addresses;
  for (auto* item : batch) {
    if (item->result != Result::Waiting) {
      continue;
    }
    if (!addresses.insert({item->petitionId, item->input.normalised->key}).second) {
      item->result = Result::Conflict;
      continue;
    }
    candidates.push_back(item);
  }
  std::vector<std::pair<PendingSignature*, long long>> stored;
  if (candidates.empty()) {
    return stored;
  }
  auto rows = insertSignatures(context, candidates);
  std::map<std::pair<long long, std::string>, long long> ids;
  for (const auto& row : rows) {
    ids[{row["petition_id"].asInt(), row["email_key"].asString()}] = row["id"].asInt();
  }
  for (auto* item : candidates) {
    auto found = ids.find({item->petitionId, item->input.normalised->key});
    if (found == ids.end()) {
      item->result = Result::Conflict;
      continue;
    }
    stored.emplace_back(item, found->second);
  }
  return stored;
}

/// Queues the mails of the stored signatures, their links naming their
/// rows; each language's texts are read once.
void mailStored(Context& context, const std::vector<std::pair<PendingSignature*, long long>>& stored) {
  if (stored.empty()) {
    return;
  }
  std::map<std::string, ConfirmationTexts> texts;
  std::vector<ruche::sdk::Mail> mails;
  mails.reserve(stored.size());
  for (const auto& [item, id] : stored) {
    auto found = texts.find(item->input.locale);
    if (found == texts.end()) {
      found = texts.emplace(item->input.locale, confirmationTexts(context, item->input.locale)).first;
    }
    mails.push_back(confirmationMail(context, found->second, item->petitionTitle, item->input.normalised->address,
                                     rowLink(context, id, item->confirmSecret),
                                     rowLink(context, id, item->withdrawSecret)));
  }
  context.sendMails(mails);
}

/// Thrown inside a batch's savepoint when a signature it stored is over the
/// per-IP limit after all: the batch is written again, counted first.
struct OverLimit {};

/// Writes the batch and counts its attempts last. The (petition, address)
/// count is one row per source, and a burst behind one proxy has one
/// address: counted first, its lock, held until the commit, made the next
/// batch wait for this one's commit before writing anything. Counted last,
/// the next batch writes while this one commits, and waits only for the
/// count. Over the limit (abuse, not a burst) the batch is written again.
void writeCountingLast(Context& context, const std::vector<PendingSignature*>& batch) {
  auto stored = insertNew(context, batch);
  mailStored(context, stored);
  countAttempts(context, batch);
  for (const auto& [item, id] : stored) {
    if (item->result == Result::TooMany) {
      throw OverLimit{};
    }
  }
}

/// A request waiting for its signature's batch: woken on its own, when its
/// result is known or when it is to lead the next batch (waking every
/// waiter after each batch cost more CPU than the batch's writes).
struct Waiter {
  /// Added to `word` by the leader that wrote the item (its result is set):
  /// from then on the waiter goes without the queue's lock, and its Waiter,
  /// on its stack, disappears. Below this bit, the word counts the nudges
  /// (see Queue::nudgeNextLeader), far fewer than 2^31 in one wait.
  static constexpr std::uint32_t kReleased = 1U << 31;

  PendingSignature* item;
  /// Set under the queue's lock by the leader that took the item into its
  /// batch: from then on the waiter only waits for its release (while that
  /// batch commits another could lead, but not this one, whose Waiter the
  /// leader still holds).
  bool taken = false;
  /// What the waiter sleeps on (see Wakeup.h).
  std::atomic<std::uint32_t> word{0};

  bool released() const { return (word.load(std::memory_order_acquire) & kReleased) != 0; }
};

/// At most this many written batches of one association wait for their
/// commit at once. A batch's commit is mostly waiting for the disk, so the
/// next leader writes meanwhile (a pipeline); each committing batch holds
/// one of the pool's connections, hence a small bound.
constexpr int kMaxCommitting = 2;

/// The signatures of one association waiting for their batch, whether a
/// leader is writing one now, and how many written batches are committing.
struct Queue {
  std::mutex mutex;
  std::deque<Waiter*> waiting;
  bool writing = false;
  int committing = 0;

  /// Whether a waiter may lead a batch now: one writes at a time, while
  /// earlier ones commit (a batch's rows are its own but for the per-IP
  /// count, which it writes last: see writeCountingLast).
  bool mayLead() const { return !writing && committing < kMaxCommitting; }

  /// Wakes the first waiter to lead a batch, if one may lead now. Under the
  /// lock: a waiter in the queue is alive.
  void nudgeNextLeader() {
    if (!waiting.empty() && mayLead()) {
      futex::addAndWake(waiting.front()->word, 1);
    }
  }
};

Queue& queueOf(long long associationId) {
  static std::mutex registryMutex;
  static std::map<long long, std::unique_ptr<Queue>> queues;
  std::lock_guard<std::mutex> lock(registryMutex);
  auto& queue = queues[associationId];
  if (!queue) {
    queue = std::make_unique<Queue>();
  }
  return *queue;
}

/// Marks every item of `batch` Failed after `what` failed; never throws.
void failBatch(Context& context, const std::vector<PendingSignature*>& batch, const char* what,
               const std::exception* error) noexcept {
  try {
    context.log().error(std::string(what) + (error != nullptr ? std::string(": ") + error->what() : std::string()));
  } catch (...) {
    // The items' results below matter more than the log line.
  }
  for (auto* item : batch) {
    item->result = Result::Failed;
  }
}

/// The leader's first part: writes `batch`. Never throws: a failure is
/// each item's result (writeSignatures rolls its own writes back).
void writeBatch(Context& context, const std::vector<PendingSignature*>& batch) noexcept {
  try {
    writeSignatures(context, batch);
  } catch (const std::exception& e) {
    failBatch(context, batch, "a batch of signatures could not be written", &e);
  } catch (...) {
    failBatch(context, batch, "a batch of signatures could not be written", nullptr);
  }
}

/// The leader's second part: commits what writeBatch wrote. Never throws.
void commitBatch(Context& context, const std::vector<PendingSignature*>& batch) noexcept {
  try {
    context.db().commit();
  } catch (const std::exception& e) {
    failBatch(context, batch, "a batch of signatures could not be committed", &e);
  } catch (...) {
    failBatch(context, batch, "a batch of signatures could not be committed", nullptr);
  }
}

/// Takes `me` off the queue if it leaves without being released (an
/// exception on the way): no leader may later reach its freed Waiter, and
/// the next waiter is nudged (it may have been waiting for `me` to lead).
/// Only the leader's part, under the queue's lock, may throw, so an
/// unreleased `me` leaves with the lock held (it is declared after it); a
/// released one leaves at once, with or without it.
struct LeaveQueue {
  Queue& queue;
  Waiter& me;
  ~LeaveQueue() {
    if (!me.released()) {
      auto it = std::find(queue.waiting.begin(), queue.waiting.end(), &me);
      if (it != queue.waiting.end()) {
        queue.waiting.erase(it);
      }
      queue.nudgeNextLeader();
    }
  }
};

/// Takes the queue's lock again after a sleep. Cannot fail in practice; if
/// it did, ending the process is safer than a taken waiter leaving while its
/// leader still holds its Waiter (as a condition variable's wait would).
void relock(std::unique_lock<std::mutex>& lock) noexcept {
  lock.lock();
}

}  // namespace

void writeSignatures(Context& context, const std::vector<PendingSignature*>& batch) {
  if (batch.empty()) {
    return;
  }
  try {
    try {
      context.db().savepoint([&] { writeCountingLast(context, batch); });
    } catch (const OverLimit&) {
      for (auto* item : batch) {
        item->result = Result::Waiting;
      }
      context.db().savepoint([&] {
        countAttempts(context, batch);
        mailStored(context, insertNew(context, batch));
      });
    }
  } catch (const std::exception& e) {
    context.log().error(std::string("a batch of signatures was rolled back: ") + e.what());
    for (auto* item : batch) {
      item->result = Result::Failed;
    }
    return;
  }
  for (auto* item : batch) {
    if (item->result == Result::Waiting) {
      item->result = Result::Stored;
    }
  }
}

void submitSignature(Context& context, PendingSignature& item) {
  if (context.db().backend() != "postgresql") {
    // SQLite: this request holds the write lock, so no other request could
    // join; a batch of one, committed with the request.
    writeSignatures(context, {&item});
    return;
  }
  Queue& queue = queueOf(context.association().id);
  Waiter me{&item};
  std::unique_lock<std::mutex> lock(queue.mutex);
  queue.waiting.push_back(&me);
  LeaveQueue leave{queue, me};
  for (;;) {
    if (me.taken || !queue.mayLead()) {
      std::uint32_t seen = me.word.load(std::memory_order_acquire);
      if ((seen & Waiter::kReleased) != 0) {
        return;
      }
      lock.unlock();
      futex::sleepWhile(me.word, seen);
      if (me.released()) {
        return;  // without the lock (see Wakeup.h)
      }
      relock(lock);
      continue;
    }
    // Leader: takes what waits (the oldest first), writes it outside the
    // lock. Everything that may throw (allocations) comes before `writing`
    // is set, and writeBatch and commitBatch do not throw: the queue never
    // stays marked as being written or committed.
    std::size_t take = std::min(kMaxBatch, queue.waiting.size());
    std::vector<Waiter*> waiters(queue.waiting.begin(), queue.waiting.begin() + static_cast<std::ptrdiff_t>(take));
    std::vector<PendingSignature*> batch;
    batch.reserve(waiters.size());  // the last allocation: nothing below throws
    for (auto* waiter : waiters) {
      batch.push_back(waiter->item);
      waiter->taken = true;
    }
    queue.waiting.erase(queue.waiting.begin(), queue.waiting.begin() + static_cast<std::ptrdiff_t>(take));
    queue.writing = true;
    lock.unlock();
    writeBatch(context, batch);
    lock.lock();
    // Written: while this batch commits, the next one may be written.
    queue.writing = false;
    ++queue.committing;
    queue.nudgeNextLeader();
    lock.unlock();
    commitBatch(context, batch);
    lock.lock();
    --queue.committing;
    queue.nudgeNextLeader();
    lock.unlock();
    // Out of the queue (taken), each waiter of the batch waits only for
    // this: woken outside the lock, it goes without taking it.
    for (auto* waiter : waiters) {
      futex::addAndWake(waiter->word, Waiter::kReleased);  // its result is set
    }
    lock.lock();
  }
}

}  // namespace petitions
