// The public side: a petition's page, signing without an account (double
// opt-in by e-mail) and the confirmation that counts the signature.
#include "Signing.h"

#include <optional>
#include <string>
#include <vector>

#include "Data.h"
#include "Email.h"
#include "Handlers.h"
#include "PageExtras.h"
#include "Rules.h"
#include "Store.h"

namespace petitions {
namespace {

using ruche::sdk::Context;
using ruche::sdk::FieldError;
using ruche::sdk::HttpError;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Value;

/// The honeypot: a field hidden from people, which bots fill in.
constexpr const char* kHoneypot = "leave_empty";

bool acceptsNow(Context& context, const Petition& petition) {
  return acceptsSignatures(petition.status, petition.deadline, dayOf(context.now()));
}

void renderPublic(Context& context, const Request& request, Response& response, const Petition& petition,
                  const Value& values, int status = 200, const std::vector<FieldError>& errors = {}) {
  Value data = petitionView(context, petition);
  std::string signedState = request.method() == "GET" ? request.query("signed") : "";
  data.set("title", petition.title);
  data.set("accepts", acceptsNow(context, petition));
  data.set("csrf", request.csrfToken());
  data.set("values", values);
  data.set("signed_check", signedState == "check");
  data.set("signed_already", signedState == "already");
  data.set("signed_recent", signedState == "recent");
  data.set("signed_confirmed", signedState == "confirmed");
  data.set("confirm_hours", context.settings().integer("confirm_hours"));
  Value updates = publicUpdates(context, petition.id);
  data.set("has_updates", updates.size() > 0);
  data.set("updates", updates);
  addPublicExtras(context, request, petition, data, errors);
  context.page(response, "petition", data, "petitions.title", status, errors);
}

/// The page that tells how a confirmation link stands (`state`: ask,
/// unknown, used, expired, closed, withdrawn), with its HTTP status.
void confirmState(Context& context, const Request& request, Response& response, const std::string& state, int status,
                  const std::optional<Petition>& petition = std::nullopt) {
  Value data = Value::object({{"csrf", request.csrfToken()},
                              {"state_" + state, true},
                              {"action", pluginPath(context, "/confirm/" + request.param("token"))}});
  if (petition) {
    data.set("petition_title", petition->title);
    data.set("petition_path", pluginPath(context, "/" + std::to_string(petition->id)));
  }
  context.page(response, "confirm", data, "petitions.confirm_title", status);
}

}  // namespace

Petition publicPetition(Context& context, const Request& request) {
  return petitionOr404(context, request.param("id"), false);
}

void show(Context& context, const Request& request, Response& response) {
  renderPublic(context, request, response, publicPetition(context, request), Value::object());
}

void sign(Context& context, const Request& request, Response& response) {
  Petition petition = signablePetition(context, request.param("id"));
  SignPages pages{[&](const Value& values, int status, const std::vector<FieldError>& errors) {
                    renderPublic(context, request, response, petition, values, status, errors);
                  },
                  pluginPath(context, "/" + std::to_string(petition.id) + "?signed="), false};
  signPetition(context, request, response, petition, pages);
}

void signPetition(Context& context, const Request& request, Response& response, const Petition& petition,
                  const SignPages& pages) {
  if (!acceptsNow(context, petition)) {
    pages.form(Value::object(), 409, {});
    return;
  }
  std::vector<FieldError> errors;
  if (!request.form(kHoneypot).empty()) {
    errors.push_back({kHoneypot, "Leave this field empty.", "petitions.honeypot"});
    pages.form(Value::object(), 422, errors);
    return;
  }
  SignatureInput input = readSignature(
      petition, [&](const std::string& name) { return request.form(name); }, request.locale(), errors);
  if (input.normalised) {
    checkDisposable(context, input.normalised->address, errors);
  }
  if (errors.empty()) {
    // Last, so that a form with mistakes does not use up its challenge.
    checkChallenge(context, request, petition, pages.embedded, errors);
  }
  // What was typed, for a form sent back (not built for a signature taken).
  auto typed = [&input] {
    return Value::object({{"name", input.name},
                          {"email", input.email},
                          {"postcode", input.postcode},
                          {"country", input.country},
                          {"comment", input.comment},
                          {"consent", input.consent}});
  };
  try {
    if (!errors.empty()) {
      // A refused attempt counts towards the per-IP limit too (a script
      // probing the checks); a valid one is counted with its batch.
      limitPerIp(context, request, petition.id);
      pages.form(typed(), 422, errors);
      return;
    }
    SignOutcome outcome = storeSignature(context, request, petition, input);
    response.redirect(pages.back + (outcome == SignOutcome::Already  ? "already"
                                    : outcome == SignOutcome::Recent ? "recent"
                                                                     : "check"));
  } catch (const HttpError& error) {
    if (error.status() != 429) {
      throw;
    }
    // Over the per-IP limit: the form again, what was typed kept, with
    // the reason in the page's language (nothing was stored).
    pages.form(typed(), 429, {{"sign_submit", error.detail(), "petitions.too_many"}});
  }
}

void confirmPage(Context& context, const Request& request, Response& response) {
  auto result = confirmToken(context, request.param("token"), false);
  confirmState(context, request, response, confirmStateName(result.state), confirmStatus(result.state),
               result.petition);
}

void confirm(Context& context, const Request& request, Response& response) {
  auto result = confirmToken(context, request.param("token"), true);
  if (result.state == ConfirmState::Confirmed) {
    response.redirect(pluginPath(context, "/" + std::to_string(result.petition->id) + "?signed=confirmed"));
    return;
  }
  confirmState(context, request, response, confirmStateName(result.state), confirmStatus(result.state),
               result.petition);
}

}  // namespace petitions
