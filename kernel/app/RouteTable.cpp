#include "kernel/app/RouteTable.h"

#include "kernel/admin/AdminPages.h"
#include "kernel/api/ApiRoutes.h"
#include "kernel/web/Registrations.h"
#include "kernel/webhooks/WebhookPages.h"

namespace ruche::app {

const std::vector<RouteRegistration>& routeTable() {
  static const std::vector<RouteRegistration> table = {
      web::registerSystemRoutes,      web::registerHomePages,        web::registerAuthPages,
      web::registerMissionPages,      web::registerManagePages,      web::registerProfilePages,
      admin::registerAdminPages,      web::registerApplicationPages, api::registerApi,
      webhooks::registerWebhookPages, web::registerCalendarPages,    web::registerNotificationPages,
      web::registerSummaryPages,      web::registerThemePages,
  };
  return table;
}

}  // namespace ruche::app
