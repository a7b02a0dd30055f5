#pragma once

#include "kernel/app/Services.h"
#include "kernel/http/Router.h"

/// The federation admin panel (/admin/…) and each association's own admin
/// pages (/a/<slug>/manage/settings, /a/<slug>/manage/members).
namespace ruche::admin {

/// Registers every admin route: the federation panel and association admin pages.
void registerAdminPages(http::Router& router, app::Services& services);

/// /admin, /admin/federation, /admin/associations… (guard: federation admin).
void registerFederationAdminPages(http::Router& router, app::Services& services);

/// /a/<slug>/manage/settings and …/members (guard: association admin).
void registerAssociationAdminPages(http::Router& router, app::Services& services);

/// /admin/templates… : the federation's mission templates (guard: federation admin).
void registerTemplatePages(http::Router& router, app::Services& services);

/// /admin/skills and /admin/causes: the federation's lists (guard: federation admin).
void registerTaxonomyPages(http::Router& router, app::Services& services);

/// /admin/events/dead: dead-lettered event deliveries and their replay (guard: federation admin).
void registerEventPages(http::Router& router, app::Services& services);

/// /admin/plugins… (guard: federation admin) and /a/<slug>/manage/plugins…
/// (guard: association admin): plugin states, enablement and settings.
void registerPluginPages(http::Router& router, app::Services& services);

/// /admin/people…: search accounts, federation admin role, association roles (guard: federation admin).
void registerPeoplePages(http::Router& router, app::Services& services);

/// /admin/mail: the mail settings and a test mail sent through the real mailer (guard: federation admin).
void registerMailPages(http::Router& router, app::Services& services);

/// /admin/health: database, event backlog, dead letters, disk, plugins (guard: federation admin).
void registerHealthPages(http::Router& router, app::Services& services);

/// /a/<slug>/manage/language (default language and time zone) and
/// /a/<slug>/manage/impact (the impact dashboard) (guard: association admin).
void registerAssociationProfilePages(http::Router& router, app::Services& services);
void registerImpactPages(http::Router& router, app::Services& services);

/// Where the federation admin uploads a plugin archive: the one path allowed
/// a body up to plugins.max_upload_bytes (App sets http's uploadBodyLimits),
/// and only from a federation admin's session (App's gate, checked before
/// the body is read).
inline constexpr const char* kPluginUploadPath = "/admin/plugins/install";

}  // namespace ruche::admin
