#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "kernel/admin/AdminPages.h"
#include "kernel/plugins/PluginCatalog.h"
#include "kernel/plugins/PluginStore.h"
#include "kernel/themes/LocalFormat.h"

// /admin/health: what a federation admin checks when something seems wrong —
// the database (reachable, how fast), the event backlog (how many deliveries
// wait, since when), dead letters, free disk in the data folder, and plugins
// that are refused or switched off.
namespace ruche::admin {
namespace {

using themes::Data;

/// Free space under which the data folder is reported as a problem.
constexpr std::uintmax_t kLowDiskBytes = 1ull << 30;
/// A pending delivery older than this means the dispatchers are behind.
constexpr long long kBacklogWarnMs = 5 * 60 * 1000;

long long nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// One line of the health table.
struct Check {
  std::string key;     ///< catalogue key of the check's name: admin_health.check.<key>
  std::string state;   ///< ok | warn | fail
  std::string detail;  ///< already in the visitor's language
};

class HealthReport {
 public:
  HealthReport(app::Services& services, const http::Request& request) : services_(services), request_(request) {}

  std::vector<Check> run() {
    database();
    if (databaseUp_) {
      backlog();
      deadLetters();
    }
    disk();
    plugins();
    return checks_;
  }

 private:
  std::string text(const std::string& key) const { return services_.pages.text(request_, "admin_health." + key); }
  std::string number(double value) const { return themes::formatNumber(value, request_.locale); }
  std::string count(const std::string& key, long long n) const {
    return services_.templates.catalog().plural(request_.locale, "admin_health." + key, n);
  }

  void database() {
    auto start = std::chrono::steady_clock::now();
    try {
      storage::Database::Session session(services_.db);
      int one = 0;
      *session << "SELECT 1", soci::into(one);
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      databaseUp_ = one == 1;
      checks_.push_back({"database", ms < 200 ? "ok" : "warn",
                         text("database_up") + " " + themes::formatNumber(ms, request_.locale, 2) + " ms"});
    } catch (const std::exception& e) {
      checks_.push_back({"database", "fail", text("database_down") + " " + e.what()});
    }
  }

  void backlog() {
    storage::Database::Session session(services_.db);
    long long pending = 0;
    long long oldest = 0;
    soci::indicator oldestInd = soci::i_null;
    *session << "SELECT COUNT(*), MIN(e.created_at) FROM event_deliveries d "
                "JOIN event_outbox e ON e.id = d.event_id WHERE d.status = 'pending'",
        soci::into(pending), soci::into(oldest, oldestInd);
    std::string detail = count("backlog_count", pending);
    long long ageMs = 0;
    if (pending > 0 && oldestInd == soci::i_ok) {
      ageMs = std::max(0ll, nowMs() - oldest);
      detail += " " + text("backlog_oldest") + " " + number(static_cast<double>(ageMs / 1000)) + " s";
    }
    checks_.push_back({"backlog", ageMs > kBacklogWarnMs ? "warn" : "ok", detail});
  }

  void deadLetters() {
    storage::Database::Session session(services_.db);
    long long dead = 0;
    *session << "SELECT COUNT(*) FROM event_deliveries WHERE status = 'dead'", soci::into(dead);
    checks_.push_back({"dead_letters", dead > 0 ? "warn" : "ok", count("dead_count", dead)});
  }

  void disk() {
    std::error_code error;
    auto space = std::filesystem::space(services_.settings.dataDir, error);
    if (error) {
      checks_.push_back({"disk", "fail", text("disk_unknown") + " " + error.message()});
      return;
    }
    double gib = static_cast<double>(space.available) / (1024.0 * 1024.0 * 1024.0);
    checks_.push_back({"disk", space.available < kLowDiskBytes ? "fail" : "ok",
                       number(gib) + " " + text("disk_free") + " (" + services_.settings.dataDir + ")"});
  }

  void plugins() {
    if (!databaseUp_) {
      return;
    }
    plugins::PluginStore store(services_.db);
    long long failing = 0;
    for (const auto& entry : plugins::listPlugins(services_.settings.plugins.dirs, store)) {
      std::string state = entry.shownState();
      if (!entry.problem.empty()) {
        checks_.push_back({"plugin", "warn", entry.name + " : " + entry.problem});
        ++failing;
      } else if (state == "failing" || state == "crashed") {
        checks_.push_back({"plugin", "fail", entry.name + " : " + state + " (" + entry.state->reason + ")"});
        ++failing;
      }
    }
    if (failing == 0) {
      checks_.push_back({"plugins", "ok", text("plugins_ok")});
    }
  }

  app::Services& services_;
  const http::Request& request_;
  std::vector<Check> checks_;
  bool databaseUp_ = false;
};

}  // namespace

void registerHealthPages(http::Router& router, app::Services& services) {
  router.get("/admin/health", services.guards.federationAdmin(),
             [&services](http::Request& request, http::Response& response) {
               Data rows{Data::type::list};
               bool allOk = true;
               for (const auto& check : HealthReport(services, request).run()) {
                 Data row{Data::type::object};
                 row.set("name", services.pages.text(request, "admin_health.check." + check.key));
                 row.set("state", check.state);
                 row.set("state_label", services.pages.text(request, "admin_health.state." + check.state));
                 row.set("detail", check.detail);
                 rows.push_back(row);
                 allOk = allOk && check.state == "ok";
               }
               Data data{Data::type::object};
               data.set("checks", rows);
               data.set("all_ok", allOk ? Data::type::bool_true : Data::type::bool_false);
               services.pages.page(request, response, "admin_health", data, "admin_health.title");
             });
}

}  // namespace ruche::admin
