#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <vector>

#include "kernel/app/Services.h"
#include "kernel/domain/Hours.h"
#include "kernel/domain/Missions.h"
#include "kernel/http/Router.h"

/// One registration per API resource; registerApi calls them all.
namespace ruche::api {

void registerAssociationsApi(http::Router& router, app::Services& services);  ///< /associations
void registerMissionsApi(http::Router& router, app::Services& services);      ///< /missions, coordinator writes
void registerProfileApi(http::Router& router, app::Services& services);       ///< /me/profile, /me/data
void registerApplicationsApi(http::Router& router, app::Services& services);  ///< apply, journey, pipeline
void registerHoursApi(http::Router& router, app::Services& services);         ///< log, validate, reject

/// A mission as every API answer shows it (the MissionOut schema).
Poco::JSON::Object::Ptr missionJson(const domain::Mission& mission);

/// One hours entry (the Hours schema); `withVolunteer` adds who logged it.
Poco::JSON::Object::Ptr hoursJson(const domain::HoursEntry& entry, bool withVolunteer);

/// Items `offset`..`offset + perPage` of an in-memory list, as JSON.
template <typename T, typename ToJson>
Poco::JSON::Array::Ptr slice(const std::vector<T>& all, long long offset, int perPage, ToJson toJson) {
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (long long i = offset; i < static_cast<long long>(all.size()) && i < offset + perPage; ++i) {
    items->add(toJson(all[static_cast<std::size_t>(i)]));
  }
  return items;
}

/// The mission `id` of the path's association (request.association); 404 when
/// it does not exist or belongs to another association.
domain::Mission ownMission(app::Services& services, const http::Request& request, long long id);

}  // namespace ruche::api
