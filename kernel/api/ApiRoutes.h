#pragma once

#include "kernel/app/Services.h"
#include "kernel/http/Router.h"

namespace ruche::api {

/// Every route of the JSON API /api/v1, and GET /api/v1/openapi.json which
/// describes them (tests/kernel/OpenApiTest.cpp keeps the two in step).
void registerApi(http::Router& router, app::Services& services);

}  // namespace ruche::api
