#pragma once

#include <functional>
#include <vector>

#include "kernel/app/Services.h"
#include "kernel/http/Router.h"

namespace ruche::app {

/// One module's routes: a function that adds them to the router.
using RouteRegistration = std::function<void(http::Router&, Services&)>;

/// Every kernel module that serves pages or API calls, in order.
const std::vector<RouteRegistration>& routeTable();

}  // namespace ruche::app
