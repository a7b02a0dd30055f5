#pragma once

#include <map>
#include <string>
#include <vector>

#include "kernel/app/Services.h"
#include "kernel/domain/Missions.h"
#include "kernel/http/HttpError.h"
#include "kernel/http/Request.h"
#include "kernel/themes/Templates.h"

/// What the mission pages (public and coordinator) share: turning missions
/// into Mustache data with localised labels, and field errors into page text.
namespace ruche::web::missionviews {

/// Localised names of skills or causes, by slug.
using TermNames = std::map<std::string, std::string>;
TermNames skillNames(app::Services& services, const std::string& locale);
TermNames causeNames(app::Services& services, const std::string& locale);

/// A mission as page data: every field plus kind_label, mode_label, dates,
/// skill/cause names, languages, status flags.
themes::Data missionData(const app::Services& services, const http::Request& request, const domain::Mission& mission,
                         const TermNames& skills, const TermNames& causes);

/// Percent-encodes a query-string value.
std::string urlEncode(const std::string& value);

/// A mission id from the path, or 404.
long long idParam(const http::Request& request, const std::string& name);

/// At most `max` code points of `text`, with "…" when cut.
std::string excerpt(const std::string& text, std::size_t max);

}  // namespace ruche::web::missionviews
