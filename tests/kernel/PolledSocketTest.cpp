// The HTTP server's listening socket: connections wait for data with poll(2).
#include <Poco/Net/StreamSocket.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "kernel/http/PolledSocket.h"

using namespace std::chrono_literals;

namespace {

/// The epoll instances this process holds now.
int epollInstances() {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    if (std::filesystem::read_symlink(entry.path(), error).string() == "anon_inode:[eventpoll]") {
      ++count;
    }
  }
  return count;
}

}  // namespace

TEST_CASE("a polled connection reports data when it comes and times out when none does") {
  ruche::http::PolledServerSocket server;
  server.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
  server.listen();
  // The listening socket itself waits with the same poll: a client is ready to accept.
  Poco::Net::StreamSocket client(server.address());
  CHECK(server.poll(Poco::Timespan(2, 0), Poco::Net::Socket::SELECT_READ));
  Poco::Net::StreamSocket accepted = server.acceptConnection();

  // Poco's own wait opens an epoll instance for its duration; this one does
  // not. Looked at every few milliseconds for as long as the wait lasts.
  int before = epollInstances();
  std::atomic<bool> waiting{true};
  std::atomic<int> most{-1};  // stays -1 if never looked at: the check below fails
  std::thread look([&] {
    while (waiting.load()) {
      most = std::max(most.load(), epollInstances());
      std::this_thread::sleep_for(5ms);
    }
  });
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(accepted.poll(Poco::Timespan(0, 400'000), Poco::Net::Socket::SELECT_READ));
  auto waited = std::chrono::steady_clock::now() - start;
  waiting = false;
  look.join();
  CHECK(most.load() == before);
  CHECK(waited >= 390ms);  // it waited, rather than answering at once
  CHECK(waited < 5s);
  CHECK(accepted.poll(Poco::Timespan(0, 0), Poco::Net::Socket::SELECT_WRITE));

  std::thread later([&] {
    std::this_thread::sleep_for(50ms);
    client.sendBytes("GET", 3);
  });
  CHECK(accepted.poll(Poco::Timespan(5, 0), Poco::Net::Socket::SELECT_READ));
  later.join();
  char buffer[8] = {};
  CHECK(accepted.receiveBytes(buffer, sizeof(buffer)) == 3);

  client.close();
  CHECK(accepted.poll(Poco::Timespan(5, 0), Poco::Net::Socket::SELECT_READ));  // the end of the stream
  CHECK(accepted.receiveBytes(buffer, sizeof(buffer)) == 0);
}
