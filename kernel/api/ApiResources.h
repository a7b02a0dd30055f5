#pragma once

#include <Poco/JSON/Object.h>

#include "kernel/app/Services.h"
#include "kernel/domain/Missions.h"
#include "kernel/http/Router.h"

/// One registration per API resource; registerApi calls them all.
namespace ruche::api {

void registerAssociationsApi(http::Router& router, app::Services& services);  ///< /associations
void registerMissionsApi(http::Router& router, app::Services& services);      ///< /missions, coordinator writes
void registerProfileApi(http::Router& router, app::Services& services);       ///< /me/profile, /me/data

/// A mission as every API answer shows it (the MissionOut schema).
Poco::JSON::Object::Ptr missionJson(const domain::Mission& mission);

/// The mission `id` of the path's association (request.association); 404 when
/// it does not exist or belongs to another association.
domain::Mission ownMission(app::Services& services, const http::Request& request, long long id);

}  // namespace ruche::api
