#pragma once

#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/SmtpMessage.h"

namespace ruche::testing {

/// A real, minimal SMTP server for tests, listening on 127.0.0.1 on a port of
/// its own choosing. It accepts every message (EHLO/HELO, optional AUTH PLAIN or
/// LOGIN with any credentials, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps it,
/// except for the recipients it was told to refuse.
/// Enough for Poco::Net::SMTPClientSession. Thread-safe.
class SmtpSink {
 public:
  SmtpSink();
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  /// The TCP port on 127.0.0.1.
  std::uint16_t port() const;

  /// Every message received so far, oldest first (taken or not).
  std::vector<SmtpMessage> messages() const;

  /// Waits for the first message addressed (envelope RCPT TO, compared without
  /// regard to case) to `to` that no earlier call took for that recipient, and
  /// takes it. Empty when none arrives within the timeout.
  std::optional<SmtpMessage> waitForMessage(const std::string& to, std::chrono::milliseconds timeout);

  /// Answers RCPT TO for `to` (compared without regard to case) with
  /// 550, as a relay does for a mailbox that does not exist.
  void refuse(const std::string& to);

  /// The SMTP connections accepted so far.
  int sessions() const;

  /// Forgets every message.
  void clear();

 private:
  struct State;
  class Connection;
  class ConnectionFactory;

  std::shared_ptr<State> state_;
  Poco::ThreadPool threadPool_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
};

}  // namespace ruche::testing
