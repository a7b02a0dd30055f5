#include "kernel/plugins/KernelContext.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "kernel/auth/Secrets.h"

namespace ruche::plugins {
namespace {

/// One association's values, typed by the manifest, defaults filled in.
class KernelSettings : public sdk::Settings {
 public:
  KernelSettings(const Manifest& manifest, std::map<std::string, std::string> stored)
      : manifest_(manifest), stored_(std::move(stored)) {}
  sdk::Value get(const std::string& key) const override {
    const SettingDefinition* def = manifest_.setting(key);
    if (def == nullptr) {
      throw std::invalid_argument("plugin \"" + manifest_.name + "\" has no setting \"" + key + "\" in its manifest");
    }
    auto it = stored_.find(key);
    std::string text = it == stored_.end() || it->second.empty() ? def->defaultValue : it->second;
    if (def->type == "boolean") {
      return sdk::Value(text == "true");
    }
    if (def->type == "integer") {
      long long number = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
      return error == std::errc() && end == text.data() + text.size() ? sdk::Value(number) : sdk::Value();
    }
    return sdk::Value(text);
  }

 private:
  const Manifest& manifest_;
  std::map<std::string, std::string> stored_;
};

bool hasLineBreak(const std::string& text) {
  return text.find_first_of("\r\n") != std::string::npos;
}

}  // namespace

sdk::Association associationById(soci::session& sql, long long id) {
  sdk::Association association;
  if (id == 0) {
    return association;
  }
  sql << "SELECT id, slug, name FROM associations WHERE id = :id", soci::use(id), soci::into(association.id),
      soci::into(association.slug), soci::into(association.name);
  return association;
}

kainjow::mustache::data toMustache(const sdk::Value& value) {
  using Data = kainjow::mustache::data;
  if (value.isObject()) {
    Data object{Data::type::object};
    for (const auto& [key, member] : value.asObject()) {
      if (!member.isNull()) {
        object.set(key, toMustache(member));
      }
    }
    return object;
  }
  if (value.isArray()) {
    Data list{Data::type::list};
    for (const auto& item : value.asArray()) {
      list.push_back(toMustache(item));
    }
    return list;
  }
  if (value.isBool()) {
    return value.asBool() ? Data::type::bool_true : Data::type::bool_false;
  }
  return Data(value.asString());
}

KernelContext::KernelContext(const ContextServices& services, const LoadedPlugin& plugin,
                             storage::Database::LazyTransaction& transaction, sdk::Association association,
                             const http::Request* request, long long now)
    : services_(services),
      plugin_(plugin),
      transaction_(transaction),
      association_(std::move(association)),
      request_(request),
      now_(now),
      database_(transaction),
      logger_(makePluginLogger(plugin.name(), request != nullptr ? request->requestId : "")) {}

KernelContext::~KernelContext() = default;

const sdk::Settings& KernelContext::settings() const {
  return settingsFor(association_.id);
}

const sdk::Settings& KernelContext::settingsFor(long long associationId) const {
  auto& known = settings_[associationId];
  if (!known) {
    known =
        std::make_unique<KernelSettings>(plugin_.manifest(), services_.store.settings(plugin_.name(), associationId));
  }
  return *known;
}

long long KernelContext::publish(const std::string& topic, const sdk::Value& payload) {
  if (topic.rfind(plugin_.name() + ".", 0) != 0 || topic.size() > 100) {
    throw std::invalid_argument("plugin \"" + plugin_.name() + "\" may publish only topics \"" + plugin_.name() +
                                ".…\", not \"" + topic + "\"");
  }
  if (!payload.isObject()) {
    throw std::invalid_argument("an event payload must be a JSON object");
  }
  return services_.events.publish(transaction_.session(), topic, association_.id, payload.toJson());
}

sdk::Value KernelContext::mailValue(const sdk::Mail& mail) const {
  if (!plugin_.manifest().can("mail")) {
    throw std::logic_error("plugin \"" + plugin_.name() + "\" sends mail without the capability \"mail\"");
  }
  if (mail.to.find('@') == std::string::npos || hasLineBreak(mail.to) || hasLineBreak(mail.subject) ||
      mail.subject.empty() || mail.subject.size() > 300 || mail.text.empty() || hasLineBreak(mail.unsubscribeUrl)) {
    throw std::invalid_argument("a mail needs one address in `to`, a one-line subject and a text body");
  }
  return sdk::Value::object({{"plugin", plugin_.name()},
                             {"to", mail.to},
                             {"subject", mail.subject},
                             {"text", mail.text},
                             {"html", mail.html},
                             {"unsubscribe", mail.unsubscribeUrl}});
}

void KernelContext::sendMail(const sdk::Mail& mail) {
  services_.events.publish(transaction_.session(), kMailTopic, association_.id, mailValue(mail).toJson());
}

void KernelContext::sendMails(const std::vector<sdk::Mail>& mails) {
  std::vector<sdk::Value> checked;
  checked.reserve(mails.size());
  for (const auto& mail : mails) {
    checked.push_back(mailValue(mail));  // all checked before any is queued
  }
  // One event per kMailsPerEvent mails: a burst's mails then cost the
  // database one row and one delivery per chunk, not per mail.
  std::vector<std::string> payloads;
  for (std::size_t start = 0; start < checked.size(); start += kMailsPerEvent) {
    sdk::Value list = sdk::Value::array();
    for (std::size_t i = start; i < std::min(checked.size(), start + kMailsPerEvent); ++i) {
      list.push(std::move(checked[i]));
    }
    payloads.push_back(sdk::Value::object({{"mails", std::move(list)}}).toJson());
  }
  services_.events.publishMany(transaction_.session(), kMailsTopic, association_.id, payloads);
}

std::string KernelContext::localeOr(const std::string& locale) const {
  if (!locale.empty()) {
    return locale;
  }
  return request_ != nullptr ? request_->locale : "fr";
}

std::string KernelContext::text(const std::string& key, const std::string& locale) const {
  return plugin_.messages().text(localeOr(locale), key);
}

std::string KernelContext::plural(const std::string& key, long long n, const std::string& locale) const {
  return plugin_.messages().plural(localeOr(locale), key, n);
}

std::string KernelContext::render(const std::string& templateName, const sdk::Value& data) {
  kainjow::mustache::data view = toMustache(data.isObject() ? data : sdk::Value::object());
  std::string locale = localeOr("");
  view.set("t", plugin_.messages().asData(locale));
  view.set("lang", locale);
  view.set("plugin_home",
           association_.id != 0 ? "/a/" + association_.slug + "/" + plugin_.name() : "/p/" + plugin_.name());
  if (association_.id != 0) {
    kainjow::mustache::data association{kainjow::mustache::data::type::object};
    association.set("slug", association_.slug);
    association.set("name", association_.name);
    view.set("association", association);
  }
  if (request_ != nullptr) {
    view.set("csrf", request_->csrfToken);
    view.set("signed_in", request_->visitor.signedIn() ? kainjow::mustache::data::type::bool_true
                                                       : kainjow::mustache::data::type::bool_false);
  }
  // Through the theme engine: the association's theme (or the visitor's
  // contrast / easy-read choice) may override the plugin's template; parsed
  // once per thread (kainjow's render() is not const).
  themes::Look look =
      request_ != nullptr ? services_.pages.lookFor(*request_) : services_.pages.lookForAssociation(association_.id);
  return services_.pages.templates().renderPlugin(look, plugin_.name(), templateName,
                                                  plugin_.findTemplate(templateName), view);
}

void KernelContext::page(sdk::Response& response, const std::string& templateName, const sdk::Value& data,
                         const std::string& titleKey, int status, const std::vector<sdk::FieldError>& errors) {
  if (request_ == nullptr) {
    throw std::logic_error("page() is for request handlers");
  }
  sdk::Value view = data.isObject() ? data : sdk::Value::object();
  sdk::Value errorView = sdk::Value::object();
  sdk::Value list = sdk::Value::array();
  for (const auto& error : errors) {
    std::string key = "validation." + error.code;
    std::string localised = text(key, "");
    std::string message = localised == key ? error.message : localised;
    errorView.set(error.field, message);
    list.push(sdk::Value::object({{"field", error.field}, {"message", message}}));
  }
  errorView.set("list", list);
  errorView.set("any", !errors.empty());
  view.set("errors", errorView);
  std::string title = text(titleKey, "");
  if (!view.has("title")) {
    view.set("title", title);
  }
  std::string content = render(templateName, view);
  response.html(services_.pages.wrap(*request_, content, view["title"].asString()), status);
}

std::string KernelContext::pluginUrl(const std::string& path) const {
  std::string base = association_.id != 0 ? "/a/" + association_.slug + "/" + plugin_.name() : "/p/" + plugin_.name();
  return services_.baseUrl + base + (path == "/" ? "" : path);
}

std::string KernelContext::profileValue(long long accountId, const std::string& fieldKey) {
  return services_.store.profileValue(accountId, plugin_.name(), fieldKey);
}

std::string KernelContext::randomToken(int bytes) const {
  if (bytes < 8 || bytes > 128) {
    throw std::invalid_argument("randomToken: between 8 and 128 bytes");
  }
  return auth::randomToken(static_cast<std::size_t>(bytes));
}

bool KernelContext::enabledFor(long long associationId) const {
  return associationId == 0 ? services_.store.isActive(plugin_.name())
                            : services_.store.answersIn(plugin_.name(), associationId);
}

std::vector<sdk::Association> KernelContext::enabledAssociations() const {
  std::vector<sdk::Association> associations;
  for (long long id : services_.store.enabledAssociations(plugin_.name())) {
    associations.push_back(associationById(transaction_.session(), id));
  }
  return associations;
}

}  // namespace ruche::plugins
