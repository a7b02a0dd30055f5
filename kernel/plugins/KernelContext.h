#pragma once

#include <soci/soci.h>

#include <map>
#include <memory>
#include <optional>

#include "kernel/events/EventBus.h"
#include "kernel/http/Request.h"
#include "kernel/plugins/KernelDatabase.h"
#include "kernel/plugins/LoadedPlugin.h"
#include "kernel/plugins/PluginStore.h"
#include "kernel/themes/PageRenderer.h"
#include "ruche/sdk/Context.h"

namespace ruche::plugins {

/// What a KernelContext needs of the kernel, shared by every call.
struct ContextServices {
  PluginStore& store;
  events::EventBus& events;
  const themes::PageRenderer& pages;
  storage::Backend backend;
  std::string baseUrl;
};

/// The SDK's Context for one call of one plugin: a request (with
/// `request` set), an event or a job, in `transaction` (begun only if the
/// plugin touches the database).
class KernelContext : public sdk::Context {
 public:
  KernelContext(const ContextServices& services, const LoadedPlugin& plugin,
                storage::Database::LazyTransaction& transaction, sdk::Association association,
                const http::Request* request, long long now);
  ~KernelContext() override;

  const sdk::Association& association() const override { return association_; }
  sdk::Database& db() override { return database_; }
  const sdk::Settings& settings() const override;
  const sdk::Settings& settingsFor(long long associationId) const override;
  sdk::Logger& log() override { return *logger_; }
  long long publish(const std::string& topic, const sdk::Value& payload) override;
  void sendMail(const sdk::Mail& mail) override;
  void sendMails(const std::vector<sdk::Mail>& mails) override;
  std::string text(const std::string& key, const std::string& locale) const override;
  std::string plural(const std::string& key, long long n, const std::string& locale) const override;
  std::string render(const std::string& templateName, const sdk::Value& data) override;
  void page(sdk::Response& response, const std::string& templateName, const sdk::Value& data,
            const std::string& titleKey, int status, const std::vector<sdk::FieldError>& errors) override;
  std::string baseUrl() const override { return services_.baseUrl; }
  std::string pluginUrl(const std::string& path) const override;
  std::string profileValue(long long accountId, const std::string& fieldKey) override;
  std::string randomToken(int bytes) const override;
  long long now() const override { return now_; }
  bool enabledFor(long long associationId) const override;
  std::vector<sdk::Association> enabledAssociations() const override;

  /// The topic kernel subscribers send plugin mail from: one mail per event.
  static constexpr const char* kMailTopic = "plugin.mail";
  /// The topic of sendMails: {"mails": [mail, …]}, up to kMailsPerEvent each.
  static constexpr const char* kMailsTopic = "plugin.mails";
  static constexpr std::size_t kMailsPerEvent = 100;

 private:
  std::string localeOr(const std::string& locale) const;
  /// A mail as its event carries it, after checking the capability and the headers.
  sdk::Value mailValue(const sdk::Mail& mail) const;

  const ContextServices& services_;
  const LoadedPlugin& plugin_;
  storage::Database::LazyTransaction& transaction_;
  sdk::Association association_;
  const http::Request* request_;
  long long now_;
  KernelDatabase database_;
  std::unique_ptr<sdk::Logger> logger_;
  /// Each association's settings, read on first use (settings(): association_'s).
  mutable std::map<long long, std::unique_ptr<sdk::Settings>> settings_;
};

/// Looks up an association by id (0: the federation).
sdk::Association associationById(soci::session& sql, long long id);

/// The Mustache data of a Value: objects, lists, strings; numbers as text;
/// booleans as Mustache booleans; null members left out.
kainjow::mustache::data toMustache(const sdk::Value& value);

}  // namespace ruche::plugins
