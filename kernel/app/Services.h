#pragma once

#include <functional>

#include "kernel/auth/Accounts.h"
#include "kernel/auth/ApiTokens.h"
#include "kernel/auth/Roles.h"
#include "kernel/auth/SessionStore.h"
#include "kernel/config/Settings.h"
#include "kernel/domain/PersonalData.h"
#include "kernel/events/EventBus.h"
#include "kernel/mail/Mailer.h"
#include "kernel/storage/Database.h"
#include "kernel/themes/PageRenderer.h"
#include "kernel/themes/Templates.h"

namespace ruche::plugins {
class PluginHost;
}

namespace ruche::app {

/// What a handler may use. Built once by App; handlers keep references.
struct Services {
  const config::Settings& settings;
  storage::Database& db;
  mail::Mailer& mailer;
  const themes::Templates& templates;
  const themes::PageRenderer& pages;
  auth::Accounts& accounts;
  auth::SessionStore& sessions;
  auth::ApiTokens& apiTokens;
  const auth::Guards& guards;
  events::EventBus& events;                                ///< publish(sql, …) inside the transaction of the change
  plugins::PluginHost* plugins = nullptr;                  ///< the loaded plugins (null only in tools that load none)
  domain::PersonalDataParts* personalDataParts = nullptr;  ///< the plugins' parts of a person's data
  /// Makes this process reload soon (after the current response is sent) to
  /// load newly installed plugins. Empty unless a `ruche serve` loop runs
  /// (serveUntilStopped sets it): then a page says to restart instead. Set
  /// before the server starts; tests may set their own.
  std::function<void()> reloadServer;
};

}  // namespace ruche::app
