#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "matching/Model.h"

namespace matching::plugin {

/// The gazetteer shipped with the plugin (data/places.txt, compiled in):
/// lines "name;latitude;longitude", '#' starts a comment line.
const std::string& shippedPlaceList();

/// The lookup key of free place text: lower case, no accents, hyphens and
/// punctuation as spaces, "st"/"ste" spelt out, and without postcodes,
/// department numbers, arrondissements ("3e", "1er") or "cedex".
/// "69003 Lyon 3e", "LYON (69)" and "lyon" all give "lyon".
std::string placeKey(std::string_view text);

/// Where a place written by a person is, from the shipped gazetteer;
/// none when the text names no town it knows (then no distance filter).
std::optional<GeoPoint> locatePlace(std::string_view text);

}  // namespace matching::plugin
