#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "kernel/config/Settings.h"
#include "kernel/http/Pipeline.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace ruche::http {

/// Poco's HTTPServer sized so idle or slow clients cannot starve others.
///
/// Poco serves a keep-alive connection on one thread for its whole life. We
/// bound that: a short keep-alive timeout, a cap of requests per connection, a
/// large accept queue, and — when connections are waiting for a thread — the
/// response closes its connection, so waiting clients get the thread next.
class HttpServer {
 public:
  /// Says, from a request's line, headers and cookies (its body not read
  /// yet), whether it may send an upload path (HttpSettings'
  /// uploadBodyLimits) more than maxBodyBytes. Such a body is read into
  /// memory before any route runs, so only someone trusted may send one:
  /// without a gate, nobody may.
  using LargeBodyGate = std::function<bool(const Request&)>;

  HttpServer(const config::HttpSettings& settings, const Pipeline& pipeline, LargeBodyGate largeBodies = {});
  ~HttpServer();

  /// Binds and starts serving; throws std::runtime_error naming the address.
  void start();
  /// The bound port (useful with port 0).
  int port() const { return port_; }
  /// Stops accepting, lets in-flight requests finish (up to `drain`).
  void stop(std::chrono::milliseconds drain = std::chrono::seconds(20));

  /// Requests being handled right now.
  int inFlight() const { return inFlight_.load(); }

 private:
  class Factory;
  class Handler;

  const config::HttpSettings settings_;
  const Pipeline& pipeline_;
  const LargeBodyGate largeBodies_;
  std::unique_ptr<Poco::ThreadPool> pool_;  // outlives server_
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::atomic<int> inFlight_{0};
  int port_ = 0;
};

}  // namespace ruche::http
