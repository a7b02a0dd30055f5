#include "kernel/http/PolledSocket.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocketImpl.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ruche::http {
namespace {

/// Socket::poll's contract (true when ready within `timeout`, interrupted
/// waits resumed for the time left, an error thrown as Poco's) in one
/// poll(2) on `fd`.
bool pollOnce(poco_socket_t fd, const Poco::Timespan& timeout, int mode, void (*fail)(int)) {
  if (fd == POCO_INVALID_SOCKET) {
    throw Poco::Net::InvalidSocketException();  // as Poco's own poll; poll(2) would just sleep
  }
  pollfd entry{fd, 0, 0};
  if ((mode & Poco::Net::Socket::SELECT_READ) != 0) {
    entry.events |= POLLIN;
  }
  if ((mode & Poco::Net::Socket::SELECT_WRITE) != 0) {
    entry.events |= POLLOUT;
  }
  // SELECT_ERROR needs no flag: POLLERR and POLLHUP are always reported.
  Poco::Timespan left = timeout;
  for (;;) {
    Poco::Timestamp start;
    // Rounded up (a wait of 0.5 ms is not a wait of none), at most a day.
    int ms = static_cast<int>(
        std::min<Poco::Timespan::TimeDiff>((left.totalMicroseconds() + 999) / 1000, 24LL * 3600 * 1000));
    int ready = ::poll(&entry, 1, ms);
    if (ready >= 0) {
      return ready > 0;
    }
    int error = errno;
    if (error != EINTR) {
      fail(error);  // throws
      return false;
    }
    Poco::Timespan waited = start.elapsed();
    // Interrupted at or past the end: one last look, without waiting.
    left = waited >= left ? Poco::Timespan(0) : left - waited;
  }
}

/// A connection accepted by PolledServerSocket.
class PolledStreamSocketImpl : public Poco::Net::StreamSocketImpl {
 public:
  explicit PolledStreamSocketImpl(poco_socket_t fd) : Poco::Net::StreamSocketImpl(fd) {}

  bool poll(const Poco::Timespan& timeout, int mode) override { return pollOnce(sockfd(), timeout, mode, &raise); }

 private:
  static void raise(int code) { error(code); }
};

class PolledServerSocketImpl : public Poco::Net::ServerSocketImpl {
 public:
  bool poll(const Poco::Timespan& timeout, int mode) override { return pollOnce(sockfd(), timeout, mode, &raise); }

  /// SocketImpl::acceptConnection, with the connection's class ours.
  Poco::Net::SocketImpl* acceptConnection(Poco::Net::SocketAddress& clientAddr) override {
    if (sockfd() == POCO_INVALID_SOCKET) {
      throw Poco::Net::InvalidSocketException();
    }
    sockaddr_storage buffer{};
    auto* address = reinterpret_cast<sockaddr*>(&buffer);
    socklen_t length = sizeof(buffer);
    poco_socket_t fd = POCO_INVALID_SOCKET;
    do {
      fd = ::accept(sockfd(), address, &length);
    } while (fd == POCO_INVALID_SOCKET && errno == EINTR);
    if (fd == POCO_INVALID_SOCKET) {
      error();  // throws, naming errno
    }
    try {
      clientAddr = Poco::Net::SocketAddress(address, length);
      return new PolledStreamSocketImpl(fd);
    } catch (...) {
      ::close(fd);  // not yet owned by a socket
      throw;
    }
  }

 private:
  static void raise(int code) { error(code); }
};

}  // namespace

PolledServerSocket::PolledServerSocket() : Poco::Net::ServerSocket(new PolledServerSocketImpl, true) {}

}  // namespace ruche::http
