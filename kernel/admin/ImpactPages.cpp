#include <string>
#include <vector>

#include "kernel/admin/AdminPages.h"
#include "kernel/admin/ImpactFigures.h"
#include "kernel/admin/SvgChart.h"
#include "kernel/auth/Roles.h"
#include "kernel/storage/Database.h"
#include "kernel/themes/LocalFormat.h"

// /a/<slug>/manage/impact: the association's impact over twelve months, as
// four server-drawn SVG bar charts, each followed by the same figures in a
// table (for screen readers, printing, copying).
namespace ruche::admin {
namespace {

using themes::Data;

/// One chart of the page: which figure, and how to show it.
struct Series {
  std::string key;  ///< admin_impact.<key>.title / .desc / .unit
  double (*value)(const ImpactMonth&);
  int decimals;
};

const std::vector<Series>& allSeries() {
  static const std::vector<Series> series = {
      {"volunteers", [](const ImpactMonth& m) { return static_cast<double>(m.activeVolunteers); }, 0},
      {"hours", [](const ImpactMonth& m) { return m.hours; }, 1},
      {"filled", [](const ImpactMonth& m) { return static_cast<double>(m.placesFilled); }, 0},
      {"in_time", [](const ImpactMonth& m) { return m.answeredShare(); }, 0},
  };
  return series;
}

std::string associationTimeZone(app::Services& services, long long associationId) {
  storage::Database::Session session(services.db);
  std::string zone;
  *session << "SELECT timezone FROM associations WHERE id = :id", soci::use(associationId), soci::into(zone);
  return http::isKnownTimeZone(zone) ? zone : themes::kDefaultTimeZone;
}

void impactPage(app::Services& services, http::Request& request, http::Response& response) {
  std::string zone = associationTimeZone(services, request.association->id);
  auto months = impactByMonth(services.db, request.association->id, storage::nowSeconds(), zone);
  const std::string& locale = request.locale;
  auto text = [&](const std::string& key) { return services.pages.text(request, "admin_impact." + key); };

  Data charts{Data::type::list};
  for (const auto& series : allSeries()) {
    std::vector<ChartBar> bars;
    Data rows{Data::type::list};
    double total = 0;
    for (const auto& month : months) {
      double value = series.value(month);
      total += value;
      std::string shown = themes::formatNumber(value, locale, series.decimals);
      if (series.key == "in_time") {
        shown += " %";
      }
      bars.push_back({month.month, value, shown});
      Data row{Data::type::object};
      row.set("month", month.month);
      row.set("value", shown);
      if (series.key == "in_time") {
        row.set("detail", std::to_string(month.answeredInTime) + " / " + std::to_string(month.applications));
      }
      rows.push_back(row);
    }
    std::string title = text(series.key + ".title");
    std::string desc = text(series.key + ".desc") + " " + months.front().month + " – " + months.back().month + ".";
    if (series.key != "in_time") {
      desc += " " + text("total") + " " + themes::formatNumber(total, locale, series.decimals) + ".";
    }
    Data chart{Data::type::object};
    chart.set("id", "chart-" + series.key);
    chart.set("title", title);
    chart.set("unit", text(series.key + ".unit"));
    chart.set("svg", svgBarChart({"chart-" + series.key, title, desc}, bars));
    chart.set("rows", rows);
    chart.set("has_detail", series.key == "in_time" ? Data::type::bool_true : Data::type::bool_false);
    charts.push_back(chart);
  }
  Data data{Data::type::object};
  data.set("association_name", request.association->name);
  data.set("slug", request.association->slug);
  data.set("charts", charts);
  data.set("answer_days", std::to_string(kAnswerDays));
  services.pages.page(request, response, "admin_impact", data, "admin_impact.title");
}

}  // namespace

void registerImpactPages(http::Router& router, app::Services& services) {
  router.get(
      "/a/{slug}/manage/impact", services.guards.association(auth::Role::Admin),
      [&services](http::Request& request, http::Response& response) { impactPage(services, request, response); });
}

}  // namespace ruche::admin
