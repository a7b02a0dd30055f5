#include "kernel/api/ApiRoutes.h"

#include "kernel/api/ApiResources.h"
#include "kernel/api/OpenApiDocument.h"

namespace ruche::api {

void registerApi(http::Router& router, app::Services& services) {
  router.get("/api/v1/openapi.json", services.guards.anyone(),
             [](http::Request&, http::Response& response) { response.json(openApiDocument()); });
  registerAssociationsApi(router, services);
  registerMissionsApi(router, services);
  registerProfileApi(router, services);
  registerApplicationsApi(router, services);
  registerHoursApi(router, services);
}

}  // namespace ruche::api
