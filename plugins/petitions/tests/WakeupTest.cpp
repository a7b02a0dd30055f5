// The futex word the signature queue's waiters sleep on (src/Wakeup.h).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "../src/Wakeup.h"

using namespace petitions;
using namespace std::chrono_literals;

TEST_CASE("sleepWhile returns at once when the word no longer holds the value seen") {
  std::atomic<std::uint32_t> word{7};
  auto start = std::chrono::steady_clock::now();
  futex::sleepWhile(word, 6);
  CHECK(std::chrono::steady_clock::now() - start < 1s);
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
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!done.load() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  bool woken = done.load();
  if (!woken) {  // do not hang the suite: wake it by hand, then fail
    word = 1;
    futex::addAndWake(word, 0);
  }
  sleeper.join();
  CHECK(woken);
  CHECK(word.load() == (1U << 31));
}
