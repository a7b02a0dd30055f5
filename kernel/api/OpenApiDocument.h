#pragma once

#include <string>

namespace ruche::api {

/// kernel/api/openapi.json as it was when the binary was built; served as-is
/// at GET /api/v1/openapi.json.
const std::string& openApiDocument();

}  // namespace ruche::api
