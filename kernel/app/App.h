#pragma once

#include <memory>
#include <vector>

#include "kernel/app/Services.h"
#include "kernel/http/HttpServer.h"
#include "kernel/http/Pipeline.h"
#include "kernel/http/Router.h"
#include "kernel/jobs/JobScheduler.h"
#include "kernel/jobs/KernelJobs.h"
#include "kernel/mail/Notifications.h"
#include "kernel/storage/Migration.h"
#include "kernel/webhooks/WebhookSender.h"

namespace ruche::app {

/// The whole kernel wired together: database (migrated), theme, auth, routes,
/// middleware pipeline and HTTP server. `ruche serve` and the tests use it.
class App {
 public:
  /// Opens the database and applies pending migrations; throws with a
  /// one-line reason (SchemaTooNew, unreachable database, broken theme…).
  explicit App(config::Settings settings, std::unique_ptr<mail::Mailer> mailer = nullptr);
  ~App();

  void start();
  void stop();
  int port() const { return server_ ? server_->port() : 0; }
  /// The URL to open: base_url, or the bound address when it was left default.
  std::string url() const;

  Services& services() { return *services_; }
  /// Sends queued webhook deliveries (a thread between start() and stop()).
  webhooks::WebhookSender& webhookSender() { return *webhookSender_; }
  /// Runs the scheduled jobs (a thread between start() and stop()).
  jobs::JobScheduler& jobs() { return *jobs_; }
  const http::Router& router() const { return router_; }
  const http::Pipeline& pipeline() const { return *pipeline_; }
  plugins::PluginHost& plugins() { return *plugins_; }

  /// Every module's migrations, kernel first, then the event bus's.
  static std::vector<storage::ModuleMigrations> allMigrations();

 private:
  void registerRoutes();

  config::Settings settings_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<events::EventBus> events_;
  std::unique_ptr<webhooks::WebhookSender> webhookSender_;
  std::unique_ptr<jobs::KernelJobs> kernelJobs_;
  std::unique_ptr<jobs::JobScheduler> jobs_;
  std::unique_ptr<mail::Mailer> mailer_;
  std::unique_ptr<themes::Templates> templates_;
  std::unique_ptr<themes::BrandingStore> branding_;  ///< associations' colours, logo and theme
  std::unique_ptr<themes::PageRenderer> pages_;
  std::unique_ptr<mail::Notifications> notifications_;  ///< the "mail" bus subscriber
  std::unique_ptr<auth::SessionStore> sessions_;
  std::unique_ptr<auth::ApiTokens> apiTokens_;
  std::unique_ptr<auth::Accounts> accounts_;
  std::unique_ptr<auth::Guards> guards_;
  std::unique_ptr<plugins::PluginHost> plugins_;
  std::unique_ptr<Services> services_;
  http::Router router_;
  std::unique_ptr<http::Pipeline> pipeline_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace ruche::app
