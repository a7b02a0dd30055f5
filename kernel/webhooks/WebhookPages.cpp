#include "kernel/webhooks/WebhookPages.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <charconv>

#include "kernel/auth/Roles.h"
#include "kernel/http/HttpError.h"
#include "kernel/webhooks/Webhooks.h"

namespace ruche::webhooks {
namespace {

using themes::Data;

Data boolean(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

std::string shownTime(long long epochSeconds) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(epochSeconds)),
                                         "%Y-%m-%d %H:%M UTC");
}

std::string base(const http::Request& request) {
  return "/a/" + request.association->slug + "/manage/webhooks";
}

long long webhookIdParam(const http::Request& request) {
  std::string raw = request.param("id");
  long long id = 0;
  auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
  if (raw.empty() || ec != std::errc() || end != raw.data() + raw.size() || id <= 0) {
    throw http::notFound("No such webhook.");
  }
  return id;
}

/// The list page, with the creation form (re-filled after a 422).
void listPage(app::Services& services, http::Request& request, http::Response& response,
              const std::vector<http::FieldError>& errors) {
  Webhooks webhooks(services.db);
  long long associationId = request.association->id;
  Data data{Data::type::object};
  data.set("association_name", request.association->name);
  data.set("base", base(request));
  Data list{Data::type::list};
  for (const auto& w : webhooks.list(associationId)) {
    Data item{Data::type::object};
    item.set("id", std::to_string(w.id));
    item.set("url", w.url);
    std::string topics;
    for (const auto& topic : w.topics) {
      topics += (topics.empty() ? "" : ", ") + services.pages.text(request, "webhooks.topic." + topic);
    }
    item.set("topics", topics);
    item.set("created", shownTime(w.createdAt));
    list.push_back(item);
  }
  data.set("webhooks", list);
  data.set("has_webhooks", boolean(!list.is_empty_list()));
  Data deliveries{Data::type::list};
  for (const auto& d : webhooks.recentDeliveries(associationId, 30)) {
    Data item{Data::type::object};
    item.set("id", std::to_string(d.id));
    item.set("url", d.url);
    item.set("topic", d.topic);
    item.set("status", services.pages.text(request, "webhooks.status." + d.status));
    item.set("status_class", d.status);
    item.set("attempts", std::to_string(d.attempts));
    item.set("response_status", d.responseStatus != 0 ? std::to_string(d.responseStatus) : std::string("—"));
    item.set("last_error", d.lastError);
    item.set("created", shownTime(d.createdAt));
    deliveries.push_back(item);
  }
  data.set("deliveries", deliveries);
  data.set("has_deliveries", boolean(!deliveries.is_empty_list()));
  std::vector<std::string> chosen = errors.empty() ? std::vector<std::string>{} : request.formValues("topics");
  Data topics{Data::type::list};
  int index = 0;
  for (const auto& topic : Webhooks::topics()) {
    Data option{Data::type::object};
    option.set("value", topic);
    option.set("index", std::to_string(index++));
    option.set("label", services.pages.text(request, "webhooks.topic." + topic));
    option.set("checked", boolean(std::find(chosen.begin(), chosen.end(), topic) != chosen.end()));
    topics.push_back(option);
  }
  data.set("topics", topics);
  Data values{Data::type::object};
  values.set("url", errors.empty() ? std::string() : request.formValue("url"));
  data.set("values", values);
  data.set("errors", themes::PageRenderer::fieldErrors(services.pages.localised(request, errors, "webhooks.error.")));
  data.set("deleted", boolean(request.queryValue("deleted") == "1"));
  data.set("test_queued", boolean(request.queryValue("tested") == "1"));
  services.pages.page(request, response, "manage_webhooks", data, "webhooks.title", errors.empty() ? 200 : 422);
}

}  // namespace

void registerWebhookPages(http::Router& router, app::Services& services) {
  auto guard = services.guards.association(auth::Role::Admin);

  router.get("/a/{slug}/manage/webhooks", guard, [&services](http::Request& request, http::Response& response) {
    listPage(services, request, response, {});
  });
  router.post("/a/{slug}/manage/webhooks", guard, [&services](http::Request& request, http::Response& response) {
    std::string url = request.formValue("url");
    CreatedWebhook created;
    try {
      created = Webhooks(services.db, TargetPolicy{services.settings.webhooks.allowPrivate})
                    .create(request.association->id, url, request.formValues("topics"));
    } catch (const http::HttpError& error) {
      if (error.status() != 422) {
        throw;
      }
      listPage(services, request, response, error.fields());
      return;
    }
    // The secret is shown this once: the page is not cached and not redirected to.
    Data data{Data::type::object};
    data.set("association_name", request.association->name);
    data.set("base", base(request));
    data.set("url", url);
    data.set("secret", created.secret);
    services.pages.page(request, response, "manage_webhooks_created", data, "webhooks.created_title", 201);
    response.headers["Cache-Control"] = "no-store";
  });
  router.post("/a/{slug}/manage/webhooks/{id}/delete", guard,
              [&services](http::Request& request, http::Response& response) {
                if (!Webhooks(services.db).remove(request.association->id, webhookIdParam(request))) {
                  throw http::notFound("No such webhook in this association.");
                }
                response.redirect(base(request) + "?deleted=1");
              });
  router.post("/a/{slug}/manage/webhooks/{id}/test", guard,
              [&services](http::Request& request, http::Response& response) {
                if (Webhooks(services.db).enqueueTest(request.association->id, webhookIdParam(request)) == 0) {
                  throw http::notFound("No such webhook in this association.");
                }
                response.redirect(base(request) + "?tested=1");
              });
}

}  // namespace ruche::webhooks
