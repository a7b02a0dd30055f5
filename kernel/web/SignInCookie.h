#pragma once

#include <string>

#include "kernel/app/Services.h"
#include "kernel/http/Request.h"
#include "kernel/http/Response.h"

namespace ruche::web {

/// Starts a fresh session (the old one, if any, is dropped: rotation at
/// login) and sets its cookie.
void signIn(app::Services& services, const http::Request& request, http::Response& response, long long accountId);
void signOut(app::Services& services, const http::Request& request, http::Response& response);

/// `next` if it is a local path ("/…" but not "//…"), else "/me".
std::string safeNext(const std::string& next);

}  // namespace ruche::web
