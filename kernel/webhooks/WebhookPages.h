#pragma once

#include "kernel/app/Services.h"
#include "kernel/http/Router.h"

namespace ruche::webhooks {

/// /a/{slug}/manage/webhooks…: an association admin registers, tests and
/// removes outgoing webhooks and sees how the latest deliveries went.
void registerWebhookPages(http::Router& router, app::Services& services);

}  // namespace ruche::webhooks
