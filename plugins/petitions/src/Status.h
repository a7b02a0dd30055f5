#pragma once

#include <string>
#include <vector>

namespace petitions {

/// A petition's life: draft → open → closed → delivered, forward only.
/// `from` is "" for a petition being created. Staying in the same status
/// is always allowed (saving other fields).
inline bool allowedTransition(const std::string& from, const std::string& to) {
  if (from == to) {
    return from == "draft" || from == "open" || from == "closed" || from == "delivered";
  }
  return (from.empty() && (to == "draft" || to == "open")) || (from == "draft" && to == "open") ||
         (from == "open" && to == "closed") || (from == "closed" && to == "delivered");
}

/// The statuses the coordinators' main form offers from `from`: the current
/// one and the next ones, except "delivered", which needs the delivery form
/// (a date and a note) unless the petition already is delivered.
inline std::vector<std::string> formStatuses(const std::string& from) {
  std::vector<std::string> out;
  for (const char* to : {"draft", "open", "closed", "delivered"}) {
    if (allowedTransition(from, to) && (std::string(to) != "delivered" || from == "delivered")) {
      out.emplace_back(to);
    }
  }
  return out;
}

}  // namespace petitions
