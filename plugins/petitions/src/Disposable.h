#pragma once

#include <set>
#include <string>

namespace petitions {

/// The disposable-domain list shipped with the plugin
/// (disposable-domains.txt, compiled in by CMake).
const std::string& shippedDisposableDomains();

/// Domains in a text: one per line, or separated by commas or spaces;
/// lower-cased, a leading "@" or "." dropped, "#" comment lines skipped.
std::set<std::string> parseDomains(const std::string& text);

/// Whether an address's domain (already lower-cased) is `listed` or a
/// subdomain of one ("x.yopmail.com" matches "yopmail.com").
bool isDisposable(const std::string& domain, const std::set<std::string>& listed);

}  // namespace petitions
