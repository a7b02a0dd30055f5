#include "kernel/app/App.h"

#include <Poco/Logger.h>

#include <filesystem>

#include "kernel/admin/AdminPages.h"
#include "kernel/app/RouteTable.h"
#include "kernel/auth/Housekeeping.h"
#include "kernel/auth/SessionMiddleware.h"
#include "kernel/domain/AssociationMiddleware.h"
#include "kernel/domain/CalendarFeed.h"
#include "kernel/domain/KernelSchema.h"
#include "kernel/domain/Missions.h"
#include "kernel/http/SecurityHeaders.h"
#include "kernel/mail/MailSchema.h"
#include "kernel/plugins/PluginHost.h"
#include "kernel/storage/Migrator.h"
#include "kernel/storage/ReadCache.h"
#include "kernel/themes/DisplayPreferences.h"
#include "kernel/themes/LocaleMiddleware.h"
#include "kernel/webhooks/WebhookSubscriber.h"
#include "kernel/webhooks/Webhooks.h"

namespace ruche::app {

std::vector<storage::ModuleMigrations> App::allMigrations() {
  return {domain::kernelMigrations(),          events::EventBus::migrations(),     webhooks::Webhooks::migrations(),
          domain::CalendarFeeds::migrations(), jobs::JobScheduler::migrations(),   mail::mailMigrations(),
          plugins::PluginStore::migrations(),  themes::BrandingStore::migrations()};
}

App::App(config::Settings settings, std::unique_ptr<mail::Mailer> mailer) : settings_(std::move(settings)) {
  // The plugin upload form is the one route whose body may exceed http.max_body_bytes.
  settings_.http.uploadBodyLimits[admin::kPluginUploadPath] = settings_.plugins.maxUploadBytes;
  std::filesystem::create_directories(settings_.dataDir);
  db_ = storage::Database::open(settings_.databaseUrl, static_cast<std::size_t>(settings_.databasePool));
  storage::readCacheMilliseconds().store(settings_.readCacheMs);
  storage::invalidateReadCaches();  // a second App in one process (tests) starts afresh
  storage::Migrator(*db_).migrate(allMigrations());
  domain::Missions(*db_).fillSearchText();
  if (long long purged = auth::purgeExpired(*db_); purged > 0) {
    Poco::Logger::get("ruche").information("removed %Ld expired sessions, tokens and login counters", purged);
  }
  events_ = std::make_unique<events::EventBus>(*db_, events::busOptions(settings_.events));
  // Only the topics a webhook can forward: any other event (a plugin's, say)
  // would cost a delivery row and a transaction for nothing.
  events_->subscribe("webhooks", webhooks::Webhooks::topics(), webhooks::webhookSubscriber(*db_));
  webhookSender_ = std::make_unique<webhooks::WebhookSender>(*db_, webhooks::senderOptions(settings_));
  jobs_ = std::make_unique<jobs::JobScheduler>(*db_);
  kernelJobs_ = std::make_unique<jobs::KernelJobs>(
      *db_, *events_, jobs::RetentionPeriods{settings_.events.retentionDays, settings_.mail.retentionDays});
  kernelJobs_->registerOn(*jobs_);
  mailer_ = mailer ? std::move(mailer) : std::make_unique<mail::Mailer>(settings_.smtp);
  templates_ = std::make_unique<themes::Templates>(settings_.themesDir, "default", settings_.themesDevReload);
  branding_ = std::make_unique<themes::BrandingStore>(*db_);
  pages_ = std::make_unique<themes::PageRenderer>(*templates_);
  pages_->setBranding(branding_.get());
  notifications_ = std::make_unique<mail::Notifications>(*db_, *mailer_, *templates_, settings_.baseUrl);
  notifications_->subscribe(*events_);
  sessions_ = std::make_unique<auth::SessionStore>(*db_);
  apiTokens_ = std::make_unique<auth::ApiTokens>(*db_);
  accounts_ = std::make_unique<auth::Accounts>(*db_, *mailer_, templates_->catalog(), settings_.baseUrl, events_.get(),
                                               templates_.get());
  events_->subscribe("mail.account", "account.mail",
                     [accounts = accounts_.get()](const events::Delivery& d) { accounts->deliverMail(d); });
  guards_ = std::make_unique<auth::Guards>(*db_);
  // Plugins after the kernel's subscribers and jobs, before the bus and the
  // scheduler start; their routes after the kernel's.
  plugins_ = std::make_unique<plugins::PluginHost>(settings_, *db_, *events_, *jobs_, *mailer_, *pages_);
  plugins_->loadAll();
  services_ =
      std::make_unique<Services>(Services{settings_, *db_, *mailer_, *templates_, *pages_, *accounts_, *sessions_,
                                          *apiTokens_, *guards_, *events_, plugins_.get(), plugins_.get(), nullptr});
  registerRoutes();
  plugins_->registerRoutes(router_, *guards_);

  bool https = settings_.secureCookies();
  pipeline_ = std::make_unique<http::Pipeline>(router_);
  pipeline_->use(std::make_shared<http::SecurityHeaders>(https));
  pipeline_->use(std::make_shared<themes::LocaleMiddleware>(https));
  pipeline_->use(std::make_shared<themes::DisplayMiddleware>(https));
  pipeline_->use(std::make_shared<auth::SessionMiddleware>(*sessions_, *apiTokens_, https));
  pipeline_->useAfterRouting(std::make_shared<auth::CsrfMiddleware>());
  pipeline_->use(std::make_shared<domain::AssociationMiddleware>(*db_));
  pipeline_->use(std::make_shared<themes::PreferencesMiddleware>(*db_));
  const themes::PageRenderer* pages = pages_.get();
  pipeline_->setErrorPage([pages](http::Request& request, http::Response& response, const http::HttpError& error) {
    pages->errorPage(request, response, error);
  });
}

App::~App() {
  stop();
}

void App::registerRoutes() {
  for (const auto& registerModule : routeTable()) {
    registerModule(router_, *services_);
  }
}

void App::start() {
  // Only a signed-in federation admin may send the plugin upload form more
  // than http.max_body_bytes (the route checks the rest, CSRF included).
  auto federationAdmin = [this](const http::Request& request) {
    std::string token = request.cookie(auth::kSessionCookie);
    auto session = token.empty() ? std::nullopt : sessions_->load(token);
    return session.has_value() && session->visitor.federationAdmin;
  };
  server_ = std::make_unique<http::HttpServer>(settings_.http, *pipeline_, federationAdmin);
  server_->start();
  events_->start();
  webhookSender_->start();
  jobs_->start();
}

void App::stop() {
  if (server_) {
    server_->stop();
    server_.reset();
  }
  // After the server: a request still running may publish; its deliveries
  // wait in the outbox for the next start (or another process).
  if (jobs_) {
    jobs_->stop();  // before the bus: a job in progress still publishes into the outbox
  }
  if (events_) {
    events_->stop();
  }
  if (webhookSender_) {
    webhookSender_->stop();
  }
}

std::string App::url() const {
  std::string host = settings_.http.listenHost == "0.0.0.0" ? "127.0.0.1" : settings_.http.listenHost;
  std::string bound = "http://" + host + ":" + std::to_string(port());
  // base_url defaults to the listen address; with port 0 only the bound port is true.
  return settings_.http.listenPort == 0 ? bound : settings_.baseUrl;
}

}  // namespace ruche::app
