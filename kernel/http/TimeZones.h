#pragma once

#include <string>
#include <vector>

namespace ruche::http {

/// True when ICU knows `id` as a time zone (a canonical IANA id such as
/// "Europe/Paris", or one of its aliases): what the forms accept.
bool isKnownTimeZone(const std::string& id);

/// Every canonical IANA location zone ICU knows, plus "UTC", sorted: what
/// the forms offer.
const std::vector<std::string>& knownTimeZones();

}  // namespace ruche::http
