#pragma once

#include <Poco/Net/ServerSocket.h>

namespace ruche::http {

/// A listening socket whose connections wait for data with one poll(2).
///
/// Poco 1.11 waits for a socket's readiness with a fresh epoll instance
/// each time: epoll_create, epoll_ctl, epoll_wait and close, four system
/// calls. Its HTTP server waits so before every keep-alive request; under a
/// burst of signatures that was 11% of the server's CPU. poll(2) on the one
/// descriptor does the same wait in one call. Everything else is Poco's.
class PolledServerSocket : public Poco::Net::ServerSocket {
 public:
  PolledServerSocket();
};

}  // namespace ruche::http
