#include "kernel/web/AnonymousPageCache.h"

#include <algorithm>

namespace ruche::web {

std::optional<AnonymousPageCache::Entry> AnonymousPageCache::find(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = slots_.find(key);
  if (it == slots_.end()) {
    return std::nullopt;
  }
  if (Clock::now() - it->second.storedAt >= ttl_) {
    slots_.erase(it);
    return std::nullopt;
  }
  return it->second.entry;
}

void AnonymousPageCache::store(const std::string& key, Entry entry) {
  if (capacity_ == 0) {
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  Clock::time_point now = Clock::now();
  if (slots_.find(key) == slots_.end() && slots_.size() >= capacity_) {
    evictLocked(now);
  }
  slots_[key] = Slot{std::move(entry), now};
}

std::size_t AnonymousPageCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return slots_.size();
}

void AnonymousPageCache::evictLocked(Clock::time_point now) {
  for (auto it = slots_.begin(); it != slots_.end();) {
    if (now - it->second.storedAt >= ttl_) {
      it = slots_.erase(it);
    } else {
      ++it;
    }
  }
  while (slots_.size() >= capacity_) {
    auto oldest = std::min_element(slots_.begin(), slots_.end(),
                                   [](const auto& a, const auto& b) { return a.second.storedAt < b.second.storedAt; });
    slots_.erase(oldest);
  }
}

}  // namespace ruche::web
