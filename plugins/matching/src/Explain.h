// Words for the core's reasons, in the visitor's language: "3 of 4
// skills", "free on Tuesday evenings", "speaks English". Each suggestion is
// shown with its score and every reason's contribution, which add up to it.
#pragma once

#include <map>
#include <ruche/sdk/Context.h>
#include <string>

#include "matching/Suggestion.h"

namespace matching::plugin {

/// Skill and cause names by id in one language (the federation's lists).
struct Names {
  std::map<int, std::string> skills;
  std::map<int, std::string> causes;
};
Names loadNames(ruche::sdk::Context& context, const std::string& locale);

/// One reason as a phrase.
std::string reasonText(ruche::sdk::Context& context, const Reason& reason, const std::string& locale,
                       const Names& names);

/// A suggestion as JSON and template data: id, score (rounded to 0.01),
/// reasons [{key, contribution, matched, total, detail, text}].
ruche::sdk::Value suggestionValue(ruche::sdk::Context& context, const Suggestion& suggestion, const std::string& locale,
                                  const Names& names);

}  // namespace matching::plugin
