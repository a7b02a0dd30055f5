#include "kernel/events/TopicPattern.h"

#include <algorithm>

namespace ruche::events {

bool topicMatches(const std::string& pattern, const std::string& topic) {
  if (pattern == "*") {
    return true;
  }
  if (pattern.size() >= 2 && pattern.compare(pattern.size() - 2, 2, ".*") == 0) {
    std::string prefix = pattern.substr(0, pattern.size() - 1);  // keeps the dot
    return topic.size() > prefix.size() && topic.compare(0, prefix.size(), prefix) == 0;
  }
  return pattern == topic;
}

bool validTopic(const std::string& topic) {
  if (topic.empty() || topic.size() > 200) {
    return false;
  }
  return std::all_of(topic.begin(), topic.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

bool validTopicPattern(const std::string& pattern) {
  if (pattern == "*") {
    return true;
  }
  if (pattern.size() > 2 && pattern.compare(pattern.size() - 2, 2, ".*") == 0) {
    return validTopic(pattern.substr(0, pattern.size() - 2));
  }
  return validTopic(pattern);
}

}  // namespace ruche::events
