#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include "kernel/domain/CalendarFeed.h"
#include "kernel/http/HttpError.h"
#include "kernel/web/Registrations.h"

namespace ruche::web {
namespace {

using themes::Data;

constexpr const char* kSuffix = ".ics";

std::string hostOf(const std::string& baseUrl) {
  try {
    std::string host = Poco::URI(baseUrl).getHost();
    return host.empty() ? "ruche" : host;
  } catch (const Poco::Exception&) {
    return "ruche";
  }
}

/// The page; `token` is set only right after a reset, the one time the URL is shown.
void calendarPage(app::Services& services, http::Request& request, http::Response& response, const std::string& token) {
  long long created = domain::CalendarFeeds(services.db).createdAt(request.visitor.accountId);
  Data data{Data::type::object};
  data.set("has_feed", created != 0 ? Data::type::bool_true : Data::type::bool_false);
  data.set("created", created != 0
                          ? Poco::DateTimeFormatter::format(
                                Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(created)), "%Y-%m-%d %H:%M UTC")
                          : std::string());
  data.set("just_reset", token.empty() ? Data::type::bool_false : Data::type::bool_true);
  data.set("feed_url", token.empty() ? std::string() : services.settings.baseUrl + "/calendar/" + token + kSuffix);
  services.pages.page(request, response, "me_calendar", data, "calendar.title");
  response.headers["Cache-Control"] = "no-store";
}

}  // namespace

void registerCalendarPages(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  router.get("/me/calendar", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    calendarPage(services, request, response, "");
  });
  router.post("/me/calendar/reset", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    std::string token = domain::CalendarFeeds(services.db).reset(request.visitor.accountId);
    calendarPage(services, request, response, token);
  });
  // The token in the file name is the only credential: no session needed, so
  // calendar applications can subscribe.
  router.get("/calendar/{file}", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    std::string file = request.param("file");
    std::string suffix = kSuffix;
    if (file.size() <= suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0) {
      throw http::notFound("No such calendar.");
    }
    domain::CalendarFeeds feeds(services.db);
    auto accountId = feeds.accountFor(file.substr(0, file.size() - suffix.size()));
    if (!accountId) {
      throw http::notFound("No such calendar.");
    }
    response.text(
        domain::renderICalendar(feeds.entries(*accountId), hostOf(services.settings.baseUrl), storage::nowSeconds()));
    response.contentType = "text/calendar; charset=utf-8";
    response.headers["Cache-Control"] = "private, no-store";
  });
}

}  // namespace ruche::web
