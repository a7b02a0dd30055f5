#include <map>
#include <set>
#include <string>
#include <vector>

#include "kernel/storage/Database.h"
#include "kernel/themes/LocalFormat.h"
#include "kernel/web/Registrations.h"

// /me/summary: what a volunteer gave — validated hours, missions, the
// associations they helped — on a page, as CSV and as a printable page.
namespace ruche::web {
namespace {

using themes::Data;

/// One mission the person took part in.
struct GivenMission {
  std::string title;
  std::string association;
  std::string status;  ///< the application's status
  int minutes = 0;     ///< validated hours, in minutes
};

/// Everything the summary shows.
struct Giving {
  std::vector<GivenMission> missions;
  std::map<std::string, std::pair<long long, int>> byAssociation;  ///< name → (missions, minutes)
  int minutes = 0;
};

bool counts(const GivenMission& m) {
  return m.minutes > 0 || m.status == "active" || m.status == "completed";
}

Giving givingOf(storage::Database& db, long long accountId) {
  storage::Database::Session session(db);
  std::map<long long, int> minutesByApplication;
  {
    long long application = 0;
    long long minutes = 0;  // SUM is a BIGINT on PostgreSQL
    soci::statement st = (session->prepare << "SELECT application_id, SUM(minutes) FROM hours "
                                              "WHERE account_id = :a AND status = 'validated' GROUP BY application_id",
                          soci::use(accountId), soci::into(application), soci::into(minutes));
    st.execute();
    while (st.fetch()) {
      minutesByApplication[application] = static_cast<int>(minutes);
    }
  }
  Giving giving;
  long long id = 0;
  GivenMission row;
  soci::statement st = (session->prepare << "SELECT ap.id, m.title, a.name, ap.status FROM applications ap "
                                            "JOIN missions m ON m.id = ap.mission_id "
                                            "JOIN associations a ON a.id = m.association_id "
                                            "WHERE ap.account_id = :a ORDER BY ap.created_at, ap.id",
                        soci::use(accountId), soci::into(id), soci::into(row.title), soci::into(row.association),
                        soci::into(row.status));
  st.execute();
  while (st.fetch()) {
    GivenMission mission = row;
    auto found = minutesByApplication.find(id);
    mission.minutes = found == minutesByApplication.end() ? 0 : found->second;
    if (!counts(mission)) {
      continue;
    }
    giving.minutes += mission.minutes;
    auto& entry = giving.byAssociation[mission.association];
    entry.first += 1;
    entry.second += mission.minutes;
    giving.missions.push_back(mission);
  }
  return giving;
}

std::string hours(int minutes, const std::string& locale) {
  return themes::formatNumber(minutes / 60.0, locale, 1);
}

Data summaryData(app::Services& services, const http::Request& request, const Giving& giving) {
  const auto& catalog = services.templates.catalog();
  const std::string& locale = request.locale;
  Data data{Data::type::object};
  data.set("name", request.visitor.displayName);
  data.set("hours_text", catalog.plural(locale, "summary.hours_total", giving.minutes / 60) + " (" +
                             hours(giving.minutes, locale) + " h)");
  data.set("missions_text",
           catalog.plural(locale, "summary.missions_total", static_cast<long long>(giving.missions.size())));
  data.set("associations_text",
           catalog.plural(locale, "summary.associations_total", static_cast<long long>(giving.byAssociation.size())));
  Data associations{Data::type::list};
  for (const auto& [name, totals] : giving.byAssociation) {
    Data item{Data::type::object};
    item.set("name", name);
    item.set("missions", std::to_string(totals.first));
    item.set("hours", hours(totals.second, locale));
    associations.push_back(item);
  }
  Data missions{Data::type::list};
  for (const auto& mission : giving.missions) {
    Data item{Data::type::object};
    item.set("title", mission.title);
    item.set("association", mission.association);
    item.set("status", catalog.text(locale, "applications.step." + mission.status));
    item.set("hours", hours(mission.minutes, locale));
    missions.push_back(item);
  }
  data.set("associations", associations);
  data.set("missions", missions);
  data.set("has_missions", giving.missions.empty() ? Data::type::bool_false : Data::type::bool_true);
  data.set("generated", themes::formatDateTime(storage::nowSeconds(), locale, request.timeZone));
  return data;
}

/// A CSV field: quoted, quotes doubled; a leading = + - @ is neutralised so a
/// spreadsheet does not run it as a formula.
std::string csvField(const std::string& value) {
  std::string text = value;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) {
    text = "'" + text;
  }
  std::string out = "\"";
  for (char c : text) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

std::string csvOf(app::Services& services, const http::Request& request, const Giving& giving) {
  const auto& catalog = services.templates.catalog();
  const std::string& locale = request.locale;
  auto t = [&](const std::string& key) { return csvField(catalog.text(locale, "summary." + key)); };
  // Hours with a dot whatever the language: the file is data, not prose.
  auto decimal = [](int minutes) {
    std::string whole = std::to_string(minutes / 60);
    std::string tenth = std::to_string((minutes % 60) * 10 / 60);
    return whole + "." + tenth;
  };
  std::string csv =
      t("csv.mission") + "," + t("csv.association") + "," + t("csv.status") + "," + t("csv.hours") + "\r\n";
  for (const auto& mission : giving.missions) {
    csv += csvField(mission.title) + "," + csvField(mission.association) + "," +
           csvField(catalog.text(locale, "applications.step." + mission.status)) + "," + decimal(mission.minutes) +
           "\r\n";
  }
  csv += t("csv.total") + ",,," + decimal(giving.minutes) + "\r\n";
  return csv;
}

}  // namespace

void registerSummaryPages(http::Router& router, app::Services& services) {
  auto guard = services.guards.signedIn();
  router.get("/me/summary", guard, [&services](http::Request& request, http::Response& response) {
    Giving giving = givingOf(services.db, request.visitor.accountId);
    services.pages.page(request, response, "me_summary", summaryData(services, request, giving), "summary.title");
    response.headers["Cache-Control"] = "no-store";
  });
  router.get("/me/summary.csv", guard, [&services](http::Request& request, http::Response& response) {
    Giving giving = givingOf(services.db, request.visitor.accountId);
    response.text(csvOf(services, request, giving));
    response.contentType = "text/csv; charset=utf-8";
    response.headers["Content-Disposition"] = "attachment; filename=\"ruche-summary.csv\"";
    response.headers["Cache-Control"] = "no-store";
  });
  router.get("/me/summary/print", guard, [&services](http::Request& request, http::Response& response) {
    Giving giving = givingOf(services.db, request.visitor.accountId);
    // A page of its own, without the site's navigation: what is printed or
    // saved is the summary alone.
    Data data = summaryData(services, request, giving);
    data.set("lang", request.locale);
    data.set("title", services.templates.catalog().text(request.locale, "summary.title"));
    response.html(services.templates.render("me_summary_print", data, request.locale));
    response.headers["Cache-Control"] = "no-store";
  });
}

}  // namespace ruche::web
