#pragma once

#include <functional>
#include <ruche/sdk/Sdk.h>
#include <string>
#include <vector>

#include "Store.h"

namespace petitions {

/// Where signing answers: the public page and the embedded form sign the
/// same way and answer each on its own page.
struct SignPages {
  /// Shows the form again with the values as typed, a status and errors.
  std::function<void(const ruche::sdk::Value& values, int status, const std::vector<ruche::sdk::FieldError>& errors)>
      form;
  /// Where to go once signed, followed by the outcome ("check", "recent", "already").
  std::string back;
  /// The embedded form (always carries a signed form token).
  bool embedded = false;
};

/// The petition `{id}` of the path, as the public may see it: in this
/// association and not a draft (404 otherwise).
Petition publicPetition(ruche::sdk::Context& context, const ruche::sdk::Request& request);

/// Signs `petition` with the form of `request` (double opt-in): the shared
/// core of POST /{id}/sign and POST /{id}/embed.
void signPetition(ruche::sdk::Context& context, const ruche::sdk::Request& request, ruche::sdk::Response& response,
                  const Petition& petition, const SignPages& pages);

}  // namespace petitions
