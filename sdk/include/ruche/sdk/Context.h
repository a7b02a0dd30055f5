#pragma once

#include <string>
#include <vector>

#include "ruche/sdk/Database.h"
#include "ruche/sdk/Errors.h"
#include "ruche/sdk/Http.h"
#include "ruche/sdk/Logger.h"
#include "ruche/sdk/Mail.h"
#include "ruche/sdk/Settings.h"
#include "ruche/sdk/Value.h"

namespace ruche::sdk {

/// What a plugin may use while it handles one request, event or job. Made by
/// the kernel for that one call: do not keep it (or anything it returns)
/// beyond the call.
class Context {
 public:
  virtual ~Context() = default;

  /// The association this call is about: the path's for a request under
  /// /a/<slug>/, the event's, or the one a job is run for. id 0: federation.
  virtual const Association& association() const = 0;
  /// The database, in this call's transaction.
  virtual Database& db() = 0;
  /// This plugin's settings for association(); defaults at federation level.
  virtual const Settings& settings() const = 0;
  virtual Logger& log() = 0;

  /// Publishes an event in this call's transaction (it exists only if the
  /// call commits). `topic` should start with the plugin's name
  /// ("petitions.signed"); `payload` must be an object.
  virtual long long publish(const std::string& topic, const Value& payload) = 0;
  /// Queues a mail in this call's transaction.
  virtual void sendMail(const Mail& mail) = 0;

  /// The plugin's message for `key` in `locale` ("" means the visitor's, or
  /// French outside a request); the key itself when missing.
  virtual std::string text(const std::string& key, const std::string& locale = "") const = 0;
  /// The plural form of `key` for `n` ("{n}" replaced), with the locale's rules.
  virtual std::string plural(const std::string& key, long long n, const std::string& locale = "") const = 0;
  /// Renders one of the plugin's templates (the theme's override if it has
  /// one) with `data`, escaped by default; `{{t.key}}` reads the plugin's
  /// messages in the visitor's language. Returns an HTML fragment.
  virtual std::string render(const std::string& templateName, const Value& data) = 0;
  /// A full themed page: the template inside the site layout (navigation,
  /// language switch, skip link), `titleKey` from the plugin's messages.
  /// Field errors, if any, are shown as the kernel's forms show them:
  /// `{{errors.any}}`, `{{errors.list}}`, `{{errors.<field>}}`.
  virtual void page(Response& response, const std::string& templateName, const Value& data, const std::string& titleKey,
                    int status = 200, const std::vector<FieldError>& errors = {}) = 0;

  /// The public URL of the site, e.g. "https://benevoles.example.org".
  virtual std::string baseUrl() const = 0;
  /// The absolute URL of a path of this plugin in association(), e.g.
  /// pluginUrl("/42") → "https://…/a/solidarite/petitions/42".
  virtual std::string pluginUrl(const std::string& path) const = 0;
  /// The value a person gave for one of this plugin's profile fields ("" if none).
  virtual std::string profileValue(long long accountId, const std::string& fieldKey) = 0;
  /// A random, URL-safe token of `bytes` random bytes (confirmation links).
  virtual std::string randomToken(int bytes = 32) const = 0;
  /// Seconds since the epoch (a job's clock in tests may differ from the wall).
  virtual long long now() const = 0;
  /// Whether this plugin is on for an association (id 0: federation level).
  virtual bool enabledFor(long long associationId) const = 0;
  /// The associations where this plugin is on.
  virtual std::vector<Association> enabledAssociations() const = 0;

  // Added in SDK 1.2 (at the end: a plugin built for 1.1 keeps its vtable).

  /// Queues several mails in this call's transaction, in a few statements
  /// whatever their number (group commit of many signers' confirmations).
  virtual void sendMails(const std::vector<Mail>& mails) = 0;

  // Added in SDK 1.3 (at the end: a plugin built for 1.1 or 1.2 keeps its vtable).

  /// This plugin's settings for any association (defaults where none were
  /// saved), also one where the plugin is now off: a job runs at federation
  /// level, and what it does for each association may depend on that
  /// association's settings. The object lives as long as this context.
  virtual const Settings& settingsFor(long long associationId) const = 0;
};

}  // namespace ruche::sdk
