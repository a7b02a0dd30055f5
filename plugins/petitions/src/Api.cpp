// The JSON API under /api/v1/associations/<slug>/petitions: open
// petitions and their counts for anyone, signing with the same checks as
// the form (problem documents with JSON pointers, nothing changed on a
// refusal; 202 while the signature waits for its confirmation), and the
// report and counts for coordinators.
#include <stdexcept>
#include <string>
#include <vector>

#include "Data.h"
#include "DataHandlers.h"
#include "PageExtras.h"
#include "ProofOfWork.h"

namespace petitions {
namespace {

using ruche::sdk::Context;
using ruche::sdk::FieldError;
using ruche::sdk::HttpError;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Value;

bool acceptsNow(Context& context, const Petition& petition) {
  return acceptsSignatures(petition.status, petition.deadline, dayOf(context.now()));
}

/// With the proof-of-work on, what a client signing through the API needs:
/// a fresh challenge to solve (or to send after the wait), as the form
/// carries; null otherwise.
Value proofOfWorkJson(Context& context, const Petition& petition) {
  if (!powOn(context)) {
    return Value();
  }
  return Value::object({{"challenge", newChallenge(context, petition)},
                        {"bits", kPowBits},
                        {"wait_seconds", context.settings().integer("proof_of_work_seconds")}});
}

Value petitionJson(Context& context, const Petition& petition) {
  Value fields = Value::array({"name", "email"});
  for (auto [asked, name] :
       {std::pair{petition.askPostcode, "postcode"}, std::pair{petition.askCountry, "country"},
        std::pair{petition.askComment, "comment"}, std::pair{!petition.consentText.empty(), "keep_informed"}}) {
    if (asked) {
      fields.push(name);
    }
  }
  return Value::object({{"id", petition.id},
                        {"title", petition.title},
                        {"addressee", petition.addressee},
                        {"body", petition.body},
                        {"goal", petition.goal},
                        {"deadline", petition.deadline.empty() ? Value() : Value(petition.deadline)},
                        {"status", petition.status},
                        {"accepts_signatures", acceptsNow(context, petition)},
                        {"confirmed", confirmedCount(context, petition.id)},
                        {"pending", pendingCount(context, petition.id)},
                        {"fields", fields},
                        {"consent_text", petition.consentText},
                        {"proof_of_work", proofOfWorkJson(context, petition)},
                        {"url", context.pluginUrl("/" + std::to_string(petition.id))}});
}

}  // namespace

void apiList(Context& context, const Request&, Response& response) {
  Value items = Value::array();
  auto rows = context.db().query(
      "SELECT id FROM petitions_petitions WHERE association_id = ? AND status = 'open' ORDER BY id DESC",
      {context.association().id});
  for (const auto& row : rows) {
    auto petition = findPetition(context, row["id"].asInt());
    if (petition && acceptsNow(context, *petition)) {
      items.push(petitionJson(context, *petition));
    }
  }
  response.json(Value::object({{"petitions", items}}).toJson());
}

void apiShow(Context& context, const Request& request, Response& response) {
  response.json(petitionJson(context, petitionOr404(context, request.param("id"), false)).toJson());
}

void apiSign(Context& context, const Request& request, Response& response) {
  Petition petition = signablePetition(context, request.param("id"));
  Value body;
  try {
    body = Value::parseJson(request.body());
  } catch (const ruche::sdk::JsonError& e) {
    throw ruche::sdk::badRequest(std::string("The body is not valid JSON: ") + e.what());
  }
  if (!body.isObject()) {
    throw ruche::sdk::badRequest("The body must be a JSON object.");
  }
  if (!acceptsNow(context, petition)) {
    throw ruche::sdk::conflict("This petition is closed: it takes no more signatures.");
  }
  std::vector<FieldError> errors;
  for (const char* name : {"name", "email", "postcode", "country", "comment", "challenge", "pow_solution"}) {
    if (body.has(name) && !body[name].isString()) {
      errors.push_back({name, "must be a string", "petitions.not_text"});
    }
  }
  if (body.has("keep_informed") && !body["keep_informed"].isBool()) {
    errors.push_back({"keep_informed", "must be true or false", "petitions.not_boolean"});
  }
  if (!errors.empty()) {
    throw ruche::sdk::unprocessable(errors);
  }
  auto get = [&](const std::string& name) {
    if (name == "consent") {
      return std::string(body["keep_informed"].asBool() ? "1" : "");
    }
    return body[name].asString();
  };
  SignatureInput input = readSignature(petition, get, request.locale(), errors);
  if (input.normalised) {
    checkDisposable(context, input.normalised->address, errors);
  }
  if (errors.empty()) {
    // Last, as on the form: a body with mistakes does not use up its challenge.
    checkProof(context, body["challenge"].asString(), body["pow_solution"].asString(), petition, false, errors,
               "challenge");
  }
  if (!errors.empty()) {
    limitPerIp(context, request, petition.id);  // refused attempts count too, as on the page
    context.db().commit();                      // the 422 below would roll the count back
    throw ruche::sdk::unprocessable(errors);
  }
  SignOutcome outcome = storeSignature(context, request, petition, input);
  if (outcome == SignOutcome::Already) {
    throw HttpError(409, "Conflict", "This address has already signed this petition: its signature is counted.",
                    {{"email", "has already signed", "petitions.duplicate"}});
  }
  if (outcome == SignOutcome::Recent) {
    throw HttpError(409, "Conflict",
                    "A confirmation link was sent to this address a few minutes ago; it is waiting to be confirmed.",
                    {{"email", "is waiting for its confirmation", "petitions.pending_duplicate"}});
  }
  response.json(Value::object({{"status", "pending_confirmation"},
                               {"petition_id", petition.id},
                               {"detail", "A link to confirm the signature was mailed to this address."}})
                    .toJson(),
                202);
}

void apiConfirm(Context& context, const Request& request, Response& response) {
  auto result = confirmToken(context, request.param("token"), true);
  switch (result.state) {
    case ConfirmState::Confirmed:
      response.json(Value::object({{"status", "confirmed"}, {"petition_id", result.petition->id}}).toJson());
      return;
    case ConfirmState::Unknown:
      throw ruche::sdk::notFound(context.text("petitions.no_confirmation_link"));
    case ConfirmState::Used:
      throw ruche::sdk::conflict("This signature is already confirmed: it is counted once.");
    case ConfirmState::Closed:
      throw ruche::sdk::conflict("This petition is closed: it takes no more signatures.");
    case ConfirmState::Expired:
      throw HttpError(410, "Gone", "This confirmation link has expired; sign again to get a new one.");
    case ConfirmState::Withdrawn:
      throw HttpError(410, "Gone", "This signature was withdrawn.");
    case ConfirmState::Ask:
      break;
  }
  throw std::logic_error("confirmToken applied nothing");
}

void apiWithdraw(Context& context, const Request& request, Response& response) {
  auto signature = signatureByLink(context, request.param("token"));
  if (!signature) {
    throw ruche::sdk::notFound(context.text("petitions.no_withdrawal_link"));
  }
  bool now = withdrawSignature(context, signature->id);
  response.json(
      Value::object({{"status", now ? "withdrawn" : "already_withdrawn"}, {"petition_id", signature->petitionId}})
          .toJson());
}

void apiReport(Context& context, const Request& request, Response& response) {
  Petition petition = petitionOr404(context, request.param("id"), true);
  Value report = reportJson(petitionReport(context, petition.id));
  report.set("petition_id", petition.id);
  response.json(report.toJson());
}

void apiCount(Context& context, const Request& request, Response& response) {
  Petition petition = petitionOr404(context, request.param("id"), true);
  auto withdrawn = context.db().query(
      "SELECT COUNT(*) AS n FROM petitions_signatures WHERE petition_id = ? AND withdrawn_at IS NOT NULL",
      {petition.id});
  response.json(Value::object({{"petition_id", petition.id},
                               {"confirmed", confirmedCount(context, petition.id)},
                               {"pending", pendingCount(context, petition.id)},
                               {"withdrawn", withdrawn.empty() ? 0 : withdrawn.front()["n"].asInt()}})
                    .toJson());
}

}  // namespace petitions
