#include "kernel/app/RouteTable.h"

#include "kernel/web/Registrations.h"

namespace ruche::app {

const std::vector<RouteRegistration>& routeTable() {
  static const std::vector<RouteRegistration> table = {
      web::registerSystemRoutes,
      web::registerHomePages,
      web::registerAuthPages,
      web::registerApplicationPages,
  };
  return table;
}

}  // namespace ruche::app
