#pragma once

#include <string>

namespace ruche::events {

/// Whether `topic` matches a subscriber's `pattern`: the exact topic, a
/// prefix ending in ".*" ("mission.*" matches "mission.published" but not
/// "mission" nor "missions.x"), or "*" for every topic.
bool topicMatches(const std::string& pattern, const std::string& topic);

/// Whether `pattern` is one of the three accepted forms with a non-empty
/// topic part (letters, digits, '.', '_', '-').
bool validTopicPattern(const std::string& pattern);

/// Whether `topic` is a concrete topic: 1–200 of letters, digits, '.', '_', '-'.
bool validTopic(const std::string& topic);

}  // namespace ruche::events
