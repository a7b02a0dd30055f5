#include "kernel/plugins/PluginHost.h"
#include "kernel/web/Registrations.h"

namespace ruche::web {

void registerHomePages(http::Router& router, app::Services& services) {
  router.get("/", services.guards.anyone(), [&services](http::Request& request, http::Response& response) {
    themes::Data data{themes::Data::type::object};
    storage::Database::Session session(services.db);
    std::string name;
    *session << "SELECT name FROM federation WHERE id = 1", soci::into(name);
    data.set("federation", session->got_data() ? name : std::string("Ruche"));
    int missions = 0;
    int associations = 0;
    *session << "SELECT COUNT(*) FROM missions WHERE status = 'published'", soci::into(missions);
    *session << "SELECT COUNT(*) FROM associations", soci::into(associations);
    data.set("missions_count", services.templates.catalog().plural(request.locale, "home.missions_count", missions));
    data.set("associations_count",
             services.templates.catalog().plural(request.locale, "home.associations_count", associations));
    if (request.queryValue("deleted") == "1") {
      data.set("deleted", themes::Data::type::bool_true);
    }
    themes::Data features{themes::Data::type::list};
    if (services.plugins != nullptr) {
      for (const auto& link : services.plugins->menu(request, 0, "federation")) {
        themes::Data item{themes::Data::type::object};
        item.set("label", link.label);
        item.set("href", link.href);
        features.push_back(item);
      }
    }
    data.set("has_features", features.is_empty_list() ? themes::Data::type::bool_false : themes::Data::type::bool_true);
    data.set("features", features);
    services.pages.page(request, response, "home", data, "home.title");
  });
}

}  // namespace ruche::web
