#include "tests/support/SmtpSink.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>

namespace ruche::testing {

namespace {

constexpr std::size_t kMaxLineLength = 64 * 1024;
constexpr std::size_t kMaxMessageSize = 64 * 1024 * 1024;
constexpr long kPollMicroseconds = 100 * 1000;

/// "MAIL FROM:<a@b> SIZE=10" → "a@b"; tolerates a missing pair of brackets.
std::string addressArgument(const std::string& line, std::size_t colon) {
  std::string rest = Poco::trim(line.substr(colon + 1));
  if (!rest.empty() && rest.front() == '<') {
    std::size_t close = rest.find('>');
    return rest.substr(1, close == std::string::npos ? std::string::npos : close - 1);
  }
  return rest.substr(0, rest.find(' '));
}

bool startsWithNoCase(const std::string& text, const std::string& prefix) {
  return text.size() >= prefix.size() && Poco::icompare(text.substr(0, prefix.size()), prefix) == 0;
}

}  // namespace

struct SmtpSink::State {
  struct Entry {
    SmtpMessage message;
    std::set<std::string> takenBy;  // lower-case recipients that took it
  };

  mutable std::mutex mutex;
  std::condition_variable arrived;
  std::vector<Entry> entries;
  std::set<std::string> refused;  // lower-case recipients answered 550
  std::atomic<bool> stopping{false};
  std::atomic<int> sessions{0};

  void add(SmtpMessage message) {
    {
      std::lock_guard lock(mutex);
      entries.push_back(Entry{std::move(message), {}});
    }
    arrived.notify_all();
  }
};

/// One SMTP conversation. Polls so that it ends soon after the sink stops.
class SmtpSink::Connection : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& socket, std::shared_ptr<State> state)
      : Poco::Net::TCPServerConnection(socket), state_(std::move(state)) {}

  void run() override {
    ++state_->sessions;
    try {
      converse();
    } catch (const Poco::Exception&) {
      // The client went away; nothing to report.
    }
  }

 private:
  void converse() {
    reply("220 localhost ruche SmtpSink ready");
    bool haveSender = false;
    SmtpMessage pending;
    while (std::optional<std::string> line = readLine()) {
      const std::string& command = *line;
      if (startsWithNoCase(command, "EHLO")) {
        reply("250-localhost\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8");
      } else if (startsWithNoCase(command, "HELO")) {
        reply("250 localhost");
      } else if (startsWithNoCase(command, "AUTH")) {
        if (!authenticate(command)) {
          return;
        }
      } else if (startsWithNoCase(command, "MAIL FROM:")) {
        pending = SmtpMessage();
        pending.from = addressArgument(command, command.find(':'));
        haveSender = true;
        reply("250 OK");
      } else if (startsWithNoCase(command, "RCPT TO:")) {
        if (!haveSender) {
          reply("503 need MAIL before RCPT");
          continue;
        }
        std::string recipient = addressArgument(command, command.find(':'));
        bool refused = false;
        {
          std::lock_guard lock(state_->mutex);
          refused = state_->refused.count(Poco::toLower(recipient)) != 0;
        }
        if (refused) {
          reply("550 5.1.1 no such mailbox");
          continue;
        }
        pending.to.push_back(recipient);
        reply("250 OK");
      } else if (Poco::icompare(Poco::trim(command), "DATA") == 0) {
        if (!haveSender || pending.to.empty()) {
          reply("503 need MAIL and RCPT before DATA");
          continue;
        }
        reply("354 end data with <CR><LF>.<CR><LF>");
        std::optional<std::string> data = readData();
        if (!data) {
          return;
        }
        pending.data = std::move(*data);
        pending.decode();
        state_->add(std::move(pending));
        pending = SmtpMessage();
        haveSender = false;
        reply("250 OK queued");
      } else if (startsWithNoCase(command, "RSET")) {
        pending = SmtpMessage();
        haveSender = false;
        reply("250 OK");
      } else if (startsWithNoCase(command, "NOOP")) {
        reply("250 OK");
      } else if (startsWithNoCase(command, "VRFY")) {
        reply("252 cannot verify, will accept");
      } else if (startsWithNoCase(command, "QUIT")) {
        reply("221 bye");
        return;
      } else {
        reply("502 command not implemented");
      }
    }
  }

  /// AUTH PLAIN [initial] or AUTH LOGIN; every credential is accepted.
  bool authenticate(const std::string& command) {
    std::string rest = Poco::trim(command.substr(4));
    if (startsWithNoCase(rest, "PLAIN")) {
      if (Poco::trim(rest.substr(5)).empty()) {
        reply("334 ");
        if (!readLine()) {
          return false;
        }
      }
      reply("235 authenticated");
      return true;
    }
    if (startsWithNoCase(rest, "LOGIN")) {
      if (Poco::trim(rest.substr(5)).empty()) {
        reply("334 VXNlcm5hbWU6");  // "Username:"
        if (!readLine()) {
          return false;
        }
      }
      reply("334 UGFzc3dvcmQ6");  // "Password:"
      if (!readLine()) {
        return false;
      }
      reply("235 authenticated");
      return true;
    }
    reply("504 unsupported authentication mechanism");
    return true;
  }

  /// Lines up to the lone ".", dot-unstuffed, each ended by CR LF.
  std::optional<std::string> readData() {
    std::string data;
    while (std::optional<std::string> line = readLine()) {
      if (*line == ".") {
        return data;
      }
      if (!line->empty() && line->front() == '.') {
        line->erase(0, 1);
      }
      data += *line;
      data += "\r\n";
      if (data.size() > kMaxMessageSize) {
        reply("552 message too large");
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  /// The next line without its CR LF (a bare LF is tolerated); empty at the end
  /// of the conversation or when the sink stops.
  std::optional<std::string> readLine() {
    for (;;) {
      std::size_t end = buffer_.find('\n');
      if (end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        if (!line.empty() && line.back() == '\r') {
          line.pop_back();
        }
        return line;
      }
      if (buffer_.size() > kMaxLineLength || state_->stopping) {
        return std::nullopt;
      }
      if (!socket().poll(Poco::Timespan(kPollMicroseconds), Poco::Net::Socket::SELECT_READ)) {
        continue;
      }
      char chunk[4096];
      int received = socket().receiveBytes(chunk, sizeof chunk);
      if (received <= 0) {
        return std::nullopt;
      }
      buffer_.append(chunk, static_cast<std::size_t>(received));
    }
  }

  void reply(const std::string& text) {
    std::string line = text + "\r\n";
    const char* next = line.data();
    std::size_t left = line.size();
    while (left > 0) {
      int sent = socket().sendBytes(next, static_cast<int>(left));
      if (sent <= 0) {
        throw Poco::IOException("SmtpSink: cannot send reply");
      }
      next += sent;
      left -= static_cast<std::size_t>(sent);
    }
  }

  std::shared_ptr<State> state_;
  std::string buffer_;
};

class SmtpSink::ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  explicit ConnectionFactory(std::shared_ptr<State> state) : state_(std::move(state)) {}

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new Connection(socket, state_);  // TCPServer owns and deletes it
  }

 private:
  std::shared_ptr<State> state_;
};

SmtpSink::SmtpSink() : state_(std::make_shared<State>()), threadPool_(1, 16) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  Poco::Net::TCPServerParams::Ptr params = new Poco::Net::TCPServerParams;
  params->setMaxThreads(16);
  params->setMaxQueued(64);
  server_ = std::make_unique<Poco::Net::TCPServer>(new ConnectionFactory(state_), threadPool_, socket, params);
  server_->start();
}

SmtpSink::~SmtpSink() {
  state_->stopping = true;
  server_->stop();
  threadPool_.joinAll();
}

std::uint16_t SmtpSink::port() const {
  return server_->port();
}

std::vector<SmtpMessage> SmtpSink::messages() const {
  std::lock_guard lock(state_->mutex);
  std::vector<SmtpMessage> result;
  result.reserve(state_->entries.size());
  for (const State::Entry& entry : state_->entries) {
    result.push_back(entry.message);
  }
  return result;
}

std::optional<SmtpMessage> SmtpSink::waitForMessage(const std::string& to, std::chrono::milliseconds timeout) {
  std::string wanted = Poco::toLower(to);
  std::optional<SmtpMessage> found;
  std::unique_lock lock(state_->mutex);
  state_->arrived.wait_for(lock, timeout, [&] {
    for (State::Entry& entry : state_->entries) {
      bool addressed = std::any_of(entry.message.to.begin(), entry.message.to.end(),
                                   [&](const std::string& recipient) { return Poco::toLower(recipient) == wanted; });
      if (addressed && entry.takenBy.insert(wanted).second) {
        found = entry.message;
        return true;
      }
    }
    return false;
  });
  return found;
}

void SmtpSink::refuse(const std::string& to) {
  std::lock_guard lock(state_->mutex);
  state_->refused.insert(Poco::toLower(to));
}

int SmtpSink::sessions() const {
  return state_->sessions.load();
}

void SmtpSink::clear() {
  std::lock_guard lock(state_->mutex);
  state_->entries.clear();
}

}  // namespace ruche::testing
