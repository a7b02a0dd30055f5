#include "kernel/http/TimeZones.h"

#include <algorithm>
#include <memory>
#include <unicode/strenum.h>
#include <unicode/timezone.h>

namespace ruche::http {

const std::vector<std::string>& knownTimeZones() {
  static const std::vector<std::string> zones = [] {
    std::vector<std::string> list;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::StringEnumeration> ids(
        icu::TimeZone::createTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, nullptr, nullptr, status));
    if (U_FAILURE(status) || !ids) {
      return list;
    }
    while (const icu::UnicodeString* id = ids->snext(status)) {
      if (U_FAILURE(status)) {
        break;
      }
      std::string text;
      id->toUTF8String(text);
      list.push_back(text);
    }
    list.push_back("UTC");
    std::sort(list.begin(), list.end());
    return list;
  }();
  return zones;
}

bool isKnownTimeZone(const std::string& id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString canonical;
  UBool systemId = false;
  icu::TimeZone::getCanonicalID(icu::UnicodeString::fromUTF8(id), canonical, systemId, status);
  return U_SUCCESS(status) && systemId && !canonical.isBogus() && canonical != UNICODE_STRING_SIMPLE("Etc/Unknown");
}

}  // namespace ruche::http
