#pragma once

#include "kernel/app/Services.h"
#include "kernel/http/Router.h"

/// Route registrations of the server-rendered site, one per page family.
namespace ruche::web {

void registerSystemRoutes(http::Router& router, app::Services& services);       ///< /healthz, /readyz, /assets
void registerHomePages(http::Router& router, app::Services& services);          ///< /
void registerAuthPages(http::Router& router, app::Services& services);          ///< sign-up, login, reset…
void registerProfilePages(http::Router& router, app::Services& services);       ///< /me, profile, data
void registerMissionPages(http::Router& router, app::Services& services);       ///< search, mission, association
void registerManagePages(http::Router& router, app::Services& services);        ///< coordinator: missions
void registerApplicationPages(http::Router& router, app::Services& services);   ///< apply, pipeline, hours, feedback
void registerNotificationPages(http::Router& router, app::Services& services);  ///< /me/notifications, /unsubscribe
void registerCalendarPages(http::Router& router, app::Services& services);      ///< /me/calendar, /calendar/<token>.ics
void registerSummaryPages(http::Router& router, app::Services& services);       ///< /me/summary (.csv, /print)
void registerThemePages(http::Router& router, app::Services& services);         ///< hashed assets, branding page, logo

}  // namespace ruche::web
