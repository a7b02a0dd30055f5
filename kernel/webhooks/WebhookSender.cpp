#include "kernel/webhooks/WebhookSender.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSONString.h>
#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "kernel/webhooks/RowValues.h"
#include "kernel/webhooks/TargetGuard.h"
#include "kernel/webhooks/WebhookSigner.h"

namespace ruche::webhooks {
namespace {

/// One due delivery with what is needed to send it.
struct Due {
  long long id = 0;
  long long webhookId = 0;
  std::string url;
  std::string secret;
  std::string messageId;
  std::string topic;
  std::string payload;
  long long occurredAt = 0;
  int attempts = 0;
  long long nextAttemptAt = 0;
};

Poco::Net::Context::Ptr tlsContext() {
  static std::once_flag once;
  static Poco::Net::Context::Ptr context;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    // The system's CA certificates; the peer's certificate must check out.
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_RELAXED,
                                     9, true);
  });
  return context;
}

/// A refused target, thrown from a session's connect() (so through Poco's
/// sendRequest, which closes the session on a Poco::Exception).
class RefusedTarget : public Poco::Exception {
 public:
  explicit RefusedTarget(const std::string& reason) : Poco::Exception(reason) {}
  const char* name() const noexcept override { return "refused target"; }
  Poco::Exception* clone() const override { return new RefusedTarget(*this); }
  void rethrow() const override { throw *this; }
};

// Sessions that check the address they are about to connect to, after DNS
// resolution: a name that resolved to a public address when the webhook was
// registered, and to a private one now, is refused here. Poco resolves the
// host and calls connect() with the address it will really use, so what is
// checked is what is reached.
class GuardedSession : public Poco::Net::HTTPClientSession {
 public:
  GuardedSession(const std::string& host, Poco::UInt16 port, TargetPolicy policy)
      : Poco::Net::HTTPClientSession(host, port), policy_(policy) {}

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    if (auto refusal = addressRefusal(address.host(), policy_)) {
      throw RefusedTarget(*refusal);
    }
    Poco::Net::HTTPClientSession::connect(address);
  }

 private:
  TargetPolicy policy_;
};

class GuardedSecureSession : public Poco::Net::HTTPSClientSession {
 public:
  GuardedSecureSession(const std::string& host, Poco::UInt16 port, Poco::Net::Context::Ptr context, TargetPolicy policy)
      : Poco::Net::HTTPSClientSession(host, port, context), policy_(policy) {}

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    if (auto refusal = addressRefusal(address.host(), policy_)) {
      throw RefusedTarget(*refusal);
    }
    Poco::Net::HTTPSClientSession::connect(address);
  }

 private:
  TargetPolicy policy_;
};

std::string shortened(std::string text) {
  if (text.size() > 300) {
    text.resize(300);
  }
  return text;
}

}  // namespace

std::string deliveryBody(const std::string& topic, long long occurredAt, const std::string& payloadJson) {
  std::string timestamp =
      Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(occurredAt), Poco::DateTimeFormat::ISO8601_FORMAT);
  return "{\"type\":" + Poco::toJSON(topic) + ",\"timestamp\":" + Poco::toJSON(timestamp) +
         ",\"data\":" + (payloadJson.empty() ? std::string("{}") : payloadJson) + "}";
}

PostResult postJson(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                    const std::string& body, std::chrono::seconds timeout, const TargetPolicy& policy) {
  PostResult result;
  try {
    Poco::URI uri(url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      session = std::make_unique<GuardedSecureSession>(uri.getHost(), uri.getPort(), tlsContext(), policy);
    } else if (uri.getScheme() == "http") {
      session = std::make_unique<GuardedSession>(uri.getHost(), uri.getPort(), policy);
    } else {
      result.error = "unsupported scheme";
      return result;
    }
    session->setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
    std::string target = uri.getPathAndQuery();
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target.empty() ? "/" : target,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.set("User-Agent", "Ruche-Webhooks/1");
    for (const auto& [name, value] : headers) {
      request.set(name, value);
    }
    session->sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    std::string ignored;
    Poco::StreamCopier::copyToString(in, ignored);
    result.status = static_cast<int>(response.getStatus());
    if (result.status < 200 || result.status > 299) {
      result.error = "HTTP " + std::to_string(result.status) + " " + shortened(response.getReason());
    }
  } catch (const RefusedTarget& e) {
    result.error = "refused: " + shortened(e.message());
  } catch (const Poco::Exception& e) {
    result.error = shortened(e.displayText());
  } catch (const std::exception& e) {
    result.error = shortened(e.what());
  }
  return result;
}

SenderOptions senderOptions(const config::Settings& settings) {
  SenderOptions options;
  options.allowPrivate = settings.webhooks.allowPrivate;
  return options;
}

WebhookSender::WebhookSender(storage::Database& db, SenderOptions options) : db_(db), options_(std::move(options)) {}

WebhookSender::~WebhookSender() {
  stop();
}

int WebhookSender::dispatchOnce() {
  long long now = options_.clock();
  std::vector<Due> due;
  {
    storage::Database::Session s(db_);
    soci::rowset<soci::row> rows =
        (s->prepare << "SELECT d.id, d.webhook_id, w.url, w.secret, d.message_id, d.topic, d.payload, d.occurred_at, "
                       "d.attempts, d.next_attempt_at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                       "WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= :n AND w.active = 1 "
                       "ORDER BY d.next_attempt_at, d.id LIMIT :l",
         soci::use(now), soci::use(options_.batchSize));
    for (const auto& row : rows) {
      due.push_back({wholeNumber(row, 0), wholeNumber(row, 1), row.get<std::string>(2), row.get<std::string>(3),
                     row.get<std::string>(4), row.get<std::string>(5), row.get<std::string>(6), wholeNumber(row, 7),
                     static_cast<int>(wholeNumber(row, 8)), wholeNumber(row, 9)});
    }
  }
  int attempted = 0;
  auto& log = Poco::Logger::get("ruche.webhooks");
  for (const auto& d : due) {
    // Claim: only the process whose UPDATE changes the row sends it.
    bool claimed = false;
    long long leaseUntil = now + options_.claimLease.count();
    db_.transaction([&](soci::session& sql) {
      soci::statement st = (sql.prepare << "UPDATE webhook_deliveries SET next_attempt_at = :l "
                                           "WHERE id = :i AND next_attempt_at = :o AND status IN ('pending', 'failed')",
                            soci::use(leaseUntil), soci::use(d.id), soci::use(d.nextAttemptAt));
      st.execute(true);
      claimed = st.get_affected_rows() == 1;
    });
    if (!claimed) {
      continue;
    }
    ++attempted;
    int attempt = d.attempts + 1;
    std::string body = deliveryBody(d.topic, d.occurredAt, d.payload);
    PostResult result;
    try {
      SignedHeaders signedHeaders = WebhookSigner(d.secret).headers(d.messageId, options_.clock(), body);
      result = postJson(d.url,
                        {{"webhook-id", signedHeaders.id},
                         {"webhook-timestamp", signedHeaders.timestamp},
                         {"webhook-signature", signedHeaders.signature}},
                        body, options_.timeout, TargetPolicy{options_.allowPrivate});
    } catch (const std::exception& e) {
      result.error = e.what();
    }
    bool ok = result.status >= 200 && result.status <= 299;
    long long finished = storage::nowSeconds();
    std::string status = ok ? "delivered" : (attempt >= options_.maxAttempts ? "dead" : "failed");
    long long backoff = options_.firstRetry.count() << std::min(attempt - 1, 20);
    long long next = ok || status == "dead" ? finished : finished + backoff;
    soci::indicator statusIndicator = result.status == 0 ? soci::i_null : soci::i_ok;
    soci::indicator deliveredIndicator = ok ? soci::i_ok : soci::i_null;
    db_.transaction([&](soci::session& sql) {
      sql << "UPDATE webhook_deliveries SET status = :s, attempts = :a, next_attempt_at = :n, "
             "response_status = :r, last_error = :e, delivered_at = :d WHERE id = :i",
          soci::use(status), soci::use(attempt), soci::use(next), soci::use(result.status, statusIndicator),
          soci::use(result.error), soci::use(finished, deliveredIndicator), soci::use(d.id);
    });
    if (ok) {
      log.information("webhook delivery %Ld (%s, attempt %d) to %s: HTTP %d", d.id, d.topic, attempt, d.url,
                      result.status);
    } else {
      log.warning("webhook delivery %Ld (%s, attempt %d) to %s failed, now %s: %s", d.id, d.topic, attempt, d.url,
                  status, result.error);
    }
  }
  return attempted;
}

void WebhookSender::start() {
  if (running_.exchange(true)) {
    return;
  }
  thread_ = std::thread([this] {
    while (running_) {
      int sent = 0;
      try {
        sent = dispatchOnce();
      } catch (const std::exception& e) {
        Poco::Logger::get("ruche.webhooks").error("webhook sender: %s", std::string(e.what()));
      }
      if (sent == 0) {
        auto until = std::chrono::steady_clock::now() + options_.pollInterval;
        while (running_ && std::chrono::steady_clock::now() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }
    }
  });
}

void WebhookSender::stop() {
  running_ = false;
  if (thread_.joinable()) {
    thread_.join();
  }
}

}  // namespace ruche::webhooks
