#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>

namespace ruche::storage {

/// The process-wide generation of read caches: bumped by every write this
/// process makes to what they hold (associations, plugin states and
/// settings), which empties them all at once.
inline std::atomic<long long>& readCacheGeneration() {
  static std::atomic<long long> generation{0};
  return generation;
}

/// Call after changing an association, a plugin's state or enablement, or
/// its settings: this process's next requests read them afresh.
inline void invalidateReadCaches() {
  readCacheGeneration().fetch_add(1);
}

/// How long an entry lives, for every read cache of the process; 0 turns
/// them off. Each App sets it from `database.read_cache_ms` (default 1000;
/// the tests' servers set 0); a command that makes no App keeps 0.
inline std::atomic<long long>& readCacheMilliseconds() {
  static std::atomic<long long> ms{0};
  return ms;
}

/// A small cache for rows read on nearly every request and seldom changed:
/// an association by its slug, whether a plugin answers in it, its
/// settings. In a burst they would otherwise cost several round trips per
/// request. An entry lives at most `ttl`: a change made by another process
/// (the CLI, a second server) shows within it; one made by this process
/// shows at once (invalidateReadCaches).
template <class Key, class Value>
class ReadCache {
 public:
  explicit ReadCache(std::size_t capacity = 4096) : capacity_(capacity) {}

  std::optional<Value> find(const Key& key) {
    if (readCacheMilliseconds().load() <= 0) {
      return std::nullopt;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.generation != readCacheGeneration().load() ||
        it->second.expires < Clock::now()) {
      return std::nullopt;
    }
    return it->second.value;
  }

  /// `generation`: readCacheGeneration() read before the value was, so that
  /// a write that raced with the read is not hidden behind the cache.
  void put(const Key& key, Value value, long long generation) {
    long long ttl = readCacheMilliseconds().load();
    if (ttl <= 0) {
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.size() >= capacity_) {
      entries_.clear();  // bounded: a crude but safe way to forget
    }
    entries_[key] = Entry{std::move(value), generation, Clock::now() + std::chrono::milliseconds(ttl)};
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Value value;
    long long generation;
    Clock::time_point expires;
  };

  std::size_t capacity_;
  std::mutex mutex_;
  std::map<Key, Entry> entries_;
};

}  // namespace ruche::storage
