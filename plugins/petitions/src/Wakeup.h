#pragma once

#include <atomic>
#include <cstdint>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

/// One thread sleeping on a 32-bit word until another changes it: Linux's
/// futex, bare. The signature queue uses it rather than a condition
/// variable for one reason: a request whose batch is committed must be able
/// to go without taking the queue's lock again. With a condition variable
/// every one of a batch's fifty requests, woken together, queued on that
/// lock behind the leader and each other (a sleep and a wake more per
/// signature: 9% of the server's CPU under a burst).
///
/// A condition variable may not be signalled once its owner may have gone;
/// a futex word may. addAndWake() only names the address: the kernel does not
/// read it (a private futex's key is the address and the process), so a
/// word whose owner has already returned gets, at worst, a wake nobody
/// waits for, or a spurious one that its next sleeper's loop ignores.
namespace petitions::futex {

static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t) &&
                  std::atomic<std::uint32_t>::is_always_lock_free,
              "a futex word is a plain 32-bit integer");

/// Sleeps while `word` still holds `seen`; returns at once when it does not
/// any more, when woken, or spuriously (the caller reads the word again).
inline void sleepWhile(std::atomic<std::uint32_t>& word, std::uint32_t seen) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, seen, nullptr, nullptr, 0);
}

/// Adds `delta` to `word` and wakes one thread sleeping on it. The word's
/// owner may return as soon as the sum is visible, so nothing touches the
/// word afterwards: the wake only names its address (see above).
inline void addAndWake(std::atomic<std::uint32_t>& word, std::uint32_t delta) {
  auto* address = reinterpret_cast<std::uint32_t*>(&word);
  word.fetch_add(delta, std::memory_order_release);
  syscall(SYS_futex, address, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

}  // namespace petitions::futex
