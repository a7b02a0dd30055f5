#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "kernel/config/Settings.h"
#include "kernel/storage/Database.h"
#include "kernel/webhooks/TargetGuard.h"

namespace ruche::webhooks {

struct SenderOptions {
  int maxAttempts = 8;                   ///< then the delivery is dead
  std::chrono::seconds firstRetry{30};   ///< doubled after each failed attempt, as the bus does
  std::chrono::seconds timeout{10};      ///< connect, send and receive, each
  std::chrono::seconds claimLease{120};  ///< a crashed sender's claims come back after this
  std::chrono::milliseconds pollInterval{1000};
  int batchSize = 20;
  /// webhooks.allow_private: send to loopback and private addresses too.
  /// Off, every connection is checked after DNS resolution (TargetGuard.h).
  bool allowPrivate = false;
  /// Unix seconds; tests replace it to sign with an old timestamp.
  std::function<long long()> clock = storage::nowSeconds;
};

/// The answer of one POST: an HTTP status, or 0 and the reason it failed.
struct PostResult {
  int status = 0;
  std::string error;
};

/// Sends the queued webhook deliveries: POSTs {"type", "timestamp", "data"}
/// signed with the webhook's secret, 2xx means delivered, anything else is
/// retried with a doubling backoff until `maxAttempts`, then dead. Each
/// attempt's status or error is recorded on the delivery and logged
/// ("ruche.webhooks"). Several processes may run one: a delivery is claimed
/// with a conditional UPDATE before it is sent.
class WebhookSender {
 public:
  explicit WebhookSender(storage::Database& db, SenderOptions options = {});
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  /// Sends the due deliveries of one batch on the calling thread; returns how
  /// many were attempted.
  int dispatchOnce();

  void start();  ///< a thread that calls dispatchOnce() every pollInterval
  void stop();   ///< waits for the attempt in progress

 private:
  storage::Database& db_;
  SenderOptions options_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

/// The JSON body of a delivery, as the receiver gets it.
std::string deliveryBody(const std::string& topic, long long occurredAt, const std::string& payloadJson);

/// The sender's options from the configuration (webhooks.allow_private).
SenderOptions senderOptions(const config::Settings& settings);

/// POSTs `body` as application/json with `headers` to an http(s) URL, only
/// if the address connected to passes `policy` (else the error says why).
PostResult postJson(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                    const std::string& body, std::chrono::seconds timeout, const TargetPolicy& policy);

}  // namespace ruche::webhooks
