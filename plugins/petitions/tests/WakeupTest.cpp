// The futex word the signature queue's waiters sleep on (src/Wakeup.h).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <thread>

#include "../src/Wakeup.h"

using namespace petitions;
using namespace std::chrono_literals;

namespace {

/// Waits up to 5 s for `done`; if it is still false, changes `word` and
/// wakes its sleepers with a bare syscall (not the code under test), so a
/// broken wake fails the test instead of hanging the suite.
bool finishes(const std::atomic<bool>& done, std::atomic<std::uint32_t>& word) {
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!done.load() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  if (done.load()) {
    return true;
  }
  word.store(1);
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
  return false;
}

}  // namespace

TEST_CASE("sleepWhile returns at once when the word no longer holds the value seen") {
  std::atomic<std::uint32_t> word{7};
  std::atomic<bool> done{false};
  std::thread sleeper([&] {
    futex::sleepWhile(word, 6);
    done = true;
  });
  bool returned = finishes(done, word);
  sleeper.join();
  CHECK(returned);
}

TEST_CASE("a thread sleeping on a word sleeps until addAndWake changes it and wakes it") {
  std::atomic<std::uint32_t> word{0};
  std::atomic<int> rounds{0};
  std::atomic<bool> done{false};
  std::thread sleeper([&] {
    while (word.load() == 0) {
      ++rounds;
      futex::sleepWhile(word, 0);
    }
    done = true;
  });
  std::this_thread::sleep_for(100ms);
  CHECK_FALSE(done.load());
  CHECK(rounds.load() <= 2);  // asleep, not spinning (one spurious wake at most)

  futex::addAndWake(word, 1U << 31);
  bool woken = finishes(done, word);
  sleeper.join();
  CHECK(woken);
  CHECK(word.load() == (1U << 31));
}
