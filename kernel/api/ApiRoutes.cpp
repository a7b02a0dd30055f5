#include "kernel/api/ApiRoutes.h"

#include "kernel/api/ApiResources.h"
#include "kernel/api/OpenApiDocument.h"
#include "kernel/plugins/PluginHost.h"

namespace ruche::api {

void registerApi(http::Router& router, app::Services& services) {
  // The kernel's document, with the parts of the active plugins that ship one.
  router.get("/api/v1/openapi.json", services.guards.anyone(), [&services](http::Request&, http::Response& response) {
    response.json(services.plugins != nullptr ? services.plugins->apiDocument(openApiDocument()) : openApiDocument());
  });
  registerAssociationsApi(router, services);
  registerMissionsApi(router, services);
  registerProfileApi(router, services);
  registerApplicationsApi(router, services);
  registerHoursApi(router, services);
}

}  // namespace ruche::api
