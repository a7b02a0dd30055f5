#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace ruche::config {

/// Outgoing mail. An empty host means mail is disabled (logged instead).
struct SmtpSettings {
  std::string host;
  int port = 25;
  std::string user;
  std::string password;
  std::string from = "Ruche <no-reply@localhost>";
};

/// HTTP server sizing: see docs/admin-guide.md for why each bound exists.
struct HttpSettings {
  std::string listenHost = "127.0.0.1";
  int listenPort = 8080;
  /// Above the keep-alive connections a reverse proxy keeps open (nginx:
  /// `keepalive` per worker × workers): at capacity every response closes
  /// its connection, so that nobody waits behind idle ones (HttpServer).
  int threads = 128;
  int queue = 4096;
  int backlog = 1024;
  int keepAliveSeconds = 3;
  int keepAliveRequests = 100;
  int requestTimeoutSeconds = 15;
  std::size_t maxBodyBytes = 1024 * 1024;
  /// Exceptions to maxBodyBytes for POSTs to these exact paths (uploads):
  /// path -> largest body. Not a key of its own: App fills it from the
  /// uploading feature's key (plugins.max_upload_bytes). Only requests
  /// HttpServer's gate lets through get the larger limit.
  std::map<std::string, std::size_t> uploadBodyLimits;
  /// Peers whose X-Forwarded-For is believed (the reverse proxy in front).
  std::vector<std::string> trustedProxies = {"127.0.0.1", "::1"};
};

/// The event bus: retries, polling and the dispatcher threads (BusOptions).
struct EventSettings {
  int maxAttempts = 6;        ///< then the delivery is a dead letter
  int firstRetryMs = 1000;    ///< doubled after each failed attempt
  int pollIntervalMs = 200;   ///< an idle dispatcher looks for work this often
  int batchSize = 50;         ///< deliveries claimed at once
  int dispatcherThreads = 1;  ///< per process
  int retentionDays = 30;     ///< delivered events are purged after this
};

/// Outgoing webhooks.
struct WebhookSettings {
  /// Send to loopback, private, link-local… addresses too (off: refused at
  /// registration and at each connection).
  bool allowPrivate = false;
};

/// Records kept about mail.
struct MailSettings {
  int retentionDays = 30;  ///< the sent-mail log (mail_sent) is purged after this
};

/// Where plugins live and when a failing one is switched off.
struct PluginSettings {
  /// Folders searched for plugin folders; the first is where
  /// `ruche plugin install` copies to. Empty: DATA/plugins.
  std::vector<std::string> dirs;
  int failureLimit = 5;  ///< failures within the window that switch a plugin off
  long long failureWindowSeconds = 600;
  /// Largest plugin archive the admin panel accepts (the body of its upload form).
  std::size_t maxUploadBytes = 64 * 1024 * 1024;
};

/// Everything read from the config file, environment and command line.
struct Settings {
  std::string dataDir = "./ruche-data";
  std::string baseUrl;           ///< public URL, e.g. https://benevoles.example.org
  std::string databaseUrl;       ///< sqlite:PATH or postgresql://…
  std::string themesDir;         ///< folder holding themes/<name>
  bool themesDevReload = false;  ///< themes.dev_reload: reload templates and assets when a file changes
  std::string logLevel = "information";
  int databasePool = 8;
  /// How long rows read on nearly every request (an association by slug, a
  /// plugin's enablement and settings) are kept in memory; 0: not at all.
  int readCacheMs = 1000;
  HttpSettings http;
  SmtpSettings smtp;
  EventSettings events;
  WebhookSettings webhooks;
  MailSettings mail;
  PluginSettings plugins;

  bool secureCookies() const { return baseUrl.rfind("https://", 0) == 0; }
};

}  // namespace ruche::config
