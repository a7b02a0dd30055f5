// The public side: a petition's page, signing without an account (double
// opt-in by e-mail) and the confirmation that counts the signature.
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "Data.h"
#include "Email.h"
#include "Handlers.h"
#include "Rules.h"
#include "Store.h"
#include "TokenHash.h"

namespace petitions {
namespace {

using ruche::sdk::Context;
using ruche::sdk::FieldError;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Value;

/// The honeypot: a field hidden from people, which bots fill in.
constexpr const char* kHoneypot = "leave_empty";

/// A petition the public may see: not a draft, in this association.
Petition publicPetition(Context& context, const Request& request) {
  return petitionOr404(context, request.param("id"), false);
}

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
  context.page(response, "petition", data, "petitions.title", status, errors);
}

/// A signature found by its confirmation token, in this association.
struct TokenSignature {
  long long id = 0;
  long long petitionId = 0;
  long long expiresAt = 0;
  bool confirmed = false;
  bool withdrawn = false;
};

std::optional<TokenSignature> byToken(Context& context, const std::string& token) {
  if (token.empty() || token.size() > 200) {
    return std::nullopt;
  }
  auto rows = context.db().query(
      "SELECT s.id AS id, s.petition_id AS petition_id, s.token_expires_at AS expires_at, "
      "s.confirmed_at AS confirmed_at, s.withdrawn_at AS withdrawn_at FROM petitions_signatures s JOIN "
      "petitions_petitions p ON p.id = s.petition_id "
      "WHERE s.token = ? AND p.association_id = ?",
      {tokenHash(token), context.association().id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const auto& row = rows.front();
  return TokenSignature{row["id"].asInt(), row["petition_id"].asInt(), row["expires_at"].asInt(),
                        !row["confirmed_at"].isNull(), !row["withdrawn_at"].isNull()};
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

int randomShard() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return pickShard(generator());
}

}  // namespace

void show(Context& context, const Request& request, Response& response) {
  renderPublic(context, request, response, publicPetition(context, request), Value::object());
}

void sign(Context& context, const Request& request, Response& response) {
  Petition petition = publicPetition(context, request);
  if (!acceptsNow(context, petition)) {
    renderPublic(context, request, response, petition, Value::object(), 409);
    return;
  }
  std::vector<FieldError> errors;
  if (!request.form(kHoneypot).empty()) {
    errors.push_back({kHoneypot, "Leave this field empty.", "petitions.honeypot"});
    renderPublic(context, request, response, petition, Value::object(), 422, errors);
    return;
  }
  limitPerIp(context, request, petition.id);
  SignatureInput input = readSignature(
      petition, [&](const std::string& name) { return request.form(name); }, request.locale(), errors);
  if (!errors.empty()) {
    Value values = Value::object({{"name", input.name},
                                  {"email", input.email},
                                  {"postcode", input.postcode},
                                  {"country", input.country},
                                  {"comment", input.comment},
                                  {"consent", input.consent}});
    renderPublic(context, request, response, petition, values, 422, errors);
    return;
  }
  SignOutcome outcome = recordSignature(context, petition, input);
  response.redirect(pluginPath(context, "/" + std::to_string(petition.id) + "?signed=") +
                    (outcome == SignOutcome::Already  ? "already"
                     : outcome == SignOutcome::Recent ? "recent"
                                                      : "check"));
}

void confirmPage(Context& context, const Request& request, Response& response) {
  auto signature = byToken(context, request.param("token"));
  if (!signature) {
    confirmState(context, request, response, "unknown", 404);
    return;
  }
  auto petition = findPetition(context, signature->petitionId);
  if (signature->withdrawn) {
    confirmState(context, request, response, "withdrawn", 410, petition);
  } else if (signature->confirmed) {
    confirmState(context, request, response, "used", 409, petition);
  } else if (tokenExpired(signature->expiresAt, context.now())) {
    confirmState(context, request, response, "expired", 410, petition);
  } else if (!petition || !acceptsNow(context, *petition)) {
    confirmState(context, request, response, "closed", 409, petition);
  } else {
    confirmState(context, request, response, "ask", 200, petition);
  }
}

void confirm(Context& context, const Request& request, Response& response) {
  auto signature = byToken(context, request.param("token"));
  if (!signature) {
    confirmState(context, request, response, "unknown", 404);
    return;
  }
  auto petition = findPetition(context, signature->petitionId);
  long long now = context.now();
  if (signature->withdrawn) {
    confirmState(context, request, response, "withdrawn", 410, petition);
    return;
  }
  if (signature->confirmed) {
    confirmState(context, request, response, "used", 409, petition);
    return;
  }
  if (tokenExpired(signature->expiresAt, now)) {
    confirmState(context, request, response, "expired", 410, petition);
    return;
  }
  if (!petition || !acceptsNow(context, *petition)) {
    confirmState(context, request, response, "closed", 409, petition);
    return;
  }
  // Only the first of two concurrent confirmations changes the row.
  long long changed = context.db().execute(
      "UPDATE petitions_signatures SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL AND withdrawn_at IS NULL "
      "AND token_expires_at >= ?",
      {now, signature->id, now});
  if (changed != 1) {
    confirmState(context, request, response, "used", 409, petition);
    return;
  }
  context.db().execute("UPDATE petitions_counters SET n = n + 1 WHERE petition_id = ? AND shard = ?",
                       {petition->id, randomShard()});
  context.publish("petitions.signed", Value::object({{"petition_id", petition->id}}));
  response.redirect(pluginPath(context, "/" + std::to_string(petition->id) + "?signed=confirmed"));
}

}  // namespace petitions
