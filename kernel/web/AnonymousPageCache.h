#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace ruche::web {

/// A small in-process cache of whole pages rendered for anonymous visitors.
///
/// Only for pages whose body holds no per-visitor data (no CSRF token, no
/// name): the caller decides that, and puts everything the body depends on
/// (locale, query, data generation) into the key. Entries live `ttl` at most;
/// the cache holds `capacity` entries at most (expired ones go first, then the
/// oldest). Safe to use from several threads.
class AnonymousPageCache {
 public:
  /// One cached response body.
  struct Entry {
    int status = 200;
    std::string contentType;
    std::string body;
  };

  AnonymousPageCache(std::chrono::milliseconds ttl, std::size_t capacity) : ttl_(ttl), capacity_(capacity) {}

  /// The entry for `key` if it is younger than the time to live.
  std::optional<Entry> find(const std::string& key);
  void store(const std::string& key, Entry entry);
  std::size_t size() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Slot {
    Entry entry;
    Clock::time_point storedAt;
  };
  void evictLocked(Clock::time_point now);

  std::chrono::milliseconds ttl_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Slot> slots_;
};

}  // namespace ruche::web
