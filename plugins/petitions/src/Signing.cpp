// The public side: a petition's page, signing without an account (double
// opt-in by e-mail) and the confirmation that counts the signature.
#include "Signing.h"

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "Email.h"
#include "Handlers.h"
#include "PageExtras.h"
#include "Rules.h"
#include "Store.h"

namespace petitions {
namespace {

using ruche::sdk::Context;
using ruche::sdk::FieldError;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Value;

/// The per-IP window, in seconds; the limit itself is the ip_limit setting.
constexpr long long kIpWindowSeconds = 600;
/// A pending signer asking again gets the link again at most this often.
constexpr long long kResendSeconds = 600;
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
  addPublicExtras(context, request, petition, data, errors);
  context.page(response, "petition", data, "petitions.title", status, errors);
}

/// Mails the confirmation link the signer just asked for.
void mailLink(Context& context, const Petition& petition, const std::string& address, const std::string& token) {
  ruche::sdk::Mail mail;
  mail.to = address;
  mail.subject = context.text("petitions.mail.subject");
  mail.text = context.text("petitions.mail.intro") + "\n\n" + petition.title + "\n\n" +
              context.text("petitions.mail.action") + "\n" + context.pluginUrl("/confirm/" + token) + "\n\n" +
              context.plural("petitions.mail.expiry", context.settings().integer("confirm_hours")) + "\n" +
              context.text("petitions.mail.ignore");
  context.sendMail(mail);
}

/// Refuses the request (429) when this IP already tried ip_limit times on
/// this petition within the window; records this attempt otherwise.
void limitPerIp(Context& context, const Request& request, long long petitionId) {
  long long now = context.now();
  const std::string& ip = request.remoteIp();
  context.db().execute("DELETE FROM petitions_ip_hits WHERE petition_id = ? AND ip = ? AND at <= ?",
                       {petitionId, ip, now - kIpWindowSeconds});
  auto rows = context.db().query("SELECT COUNT(*) AS n FROM petitions_ip_hits WHERE petition_id = ? AND ip = ?",
                                 {petitionId, ip});
  if (!rows.empty() && rows.front()["n"].asInt() >= context.settings().integer("ip_limit")) {
    throw ruche::sdk::HttpError(429, "Too Many Requests",
                                "Too many signatures from your network address; try again in a few minutes.");
  }
  context.db().execute("INSERT INTO petitions_ip_hits (petition_id, ip, at) VALUES (?, ?, ?)", {petitionId, ip, now});
}

/// A text field of at most `max` characters, required or not.
std::string field(const Request& request, std::vector<FieldError>& errors, const std::string& name, std::size_t max,
                  bool required) {
  std::string value = trim(request.form(name));
  if (required && value.empty()) {
    errors.push_back({name, "This field is required.", "petitions.required"});
  } else if (characters(value) > max) {
    errors.push_back({name, "This text is too long.", "petitions.too_long"});
  }
  return value;
}

/// A signature found by its confirmation token, in this association.
struct TokenSignature {
  long long id = 0;
  long long petitionId = 0;
  long long expiresAt = 0;
  bool confirmed = false;
};

std::optional<TokenSignature> byToken(Context& context, const std::string& token) {
  if (token.empty() || token.size() > 200) {
    return std::nullopt;
  }
  auto rows = context.db().query(
      "SELECT s.id AS id, s.petition_id AS petition_id, s.token_expires_at AS expires_at, "
      "s.confirmed_at AS confirmed_at FROM petitions_signatures s JOIN petitions_petitions p ON p.id = s.petition_id "
      "WHERE s.token = ? AND p.association_id = ?",
      {token, context.association().id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const auto& row = rows.front();
  return TokenSignature{row["id"].asInt(), row["petition_id"].asInt(), row["expires_at"].asInt(),
                        !row["confirmed_at"].isNull()};
}

/// The page that tells how a confirmation link stands (`state`: ask,
/// unknown, used, expired, closed), with its HTTP status.
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

Petition publicPetition(Context& context, const Request& request) {
  auto petition = findPetition(context, parseId(request.param("id")));
  if (!petition || petition->status == "draft") {
    throw ruche::sdk::notFound("No such petition.");
  }
  return *petition;
}

void show(Context& context, const Request& request, Response& response) {
  renderPublic(context, request, response, publicPetition(context, request), Value::object());
}

void sign(Context& context, const Request& request, Response& response) {
  Petition petition = publicPetition(context, request);
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
  limitPerIp(context, request, petition.id);

  std::string name = field(request, errors, "name", 120, true);
  std::string rawEmail = request.form("email");
  auto email = normaliseEmail(rawEmail);
  if (trim(rawEmail).empty()) {
    errors.push_back({"email", "This field is required.", "petitions.required"});
  } else if (!email) {
    errors.push_back({"email", "This is not a valid e-mail address.", "petitions.bad_email"});
  } else {
    checkDisposable(context, email->address, errors);
  }
  std::string postcode = petition.askPostcode ? field(request, errors, "postcode", 20, true) : "";
  std::string country = petition.askCountry ? field(request, errors, "country", 60, true) : "";
  std::string comment = petition.askComment ? field(request, errors, "comment", 1000, false) : "";
  bool consent = !petition.consentText.empty() && request.form("consent") == "1";
  if (errors.empty()) {
    // Last, so that a form with mistakes does not use up its challenge.
    checkChallenge(context, request, petition, pages.embedded, errors);
  }
  if (!errors.empty()) {
    Value values = Value::object({{"name", name},
                                  {"email", trim(rawEmail)},
                                  {"postcode", postcode},
                                  {"country", country},
                                  {"comment", comment},
                                  {"consent", consent}});
    pages.form(values, 422, errors);
    return;
  }

  long long now = context.now();
  long long expiresAt = now + context.settings().integer("confirm_hours") * 3600;
  const std::string& back = pages.back;
  auto existing = context.db().query(
      "SELECT id, email, token, token_expires_at, mailed_at, confirmed_at FROM petitions_signatures "
      "WHERE petition_id = ? AND email_key = ?",
      {petition.id, email->key});
  if (existing.empty()) {
    std::string token = context.randomToken();
    bool inserted = false;
    try {
      context.db().savepoint([&] {
        context.db().insert(
            "INSERT INTO petitions_signatures (petition_id, email, email_key, name, postcode, country, comment, "
            "consent, token, token_expires_at, mailed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {petition.id, email->address, email->key, name, postcode, country, comment, consent ? 1 : 0, token,
             expiresAt, now, now});
      });
      inserted = true;
    } catch (const std::exception&) {
      // The same address signed at the same moment: that attempt mails the link.
    }
    if (inserted) {
      mailLink(context, petition, email->address, token);
    }
    response.redirect(back + "check");
    return;
  }

  const auto& row = existing.front();
  if (!row["confirmed_at"].isNull()) {
    response.redirect(back + "already");
    return;
  }
  std::string token = row["token"].asString();
  if (tokenExpired(row["token_expires_at"].asInt(), now)) {
    token = context.randomToken();
  } else if (row["mailed_at"].asInt() > now - kResendSeconds) {
    response.redirect(back + "recent");
    return;
  }
  context.db().execute(
      "UPDATE petitions_signatures SET token = ?, token_expires_at = ?, mailed_at = ? WHERE id = ? "
      "AND confirmed_at IS NULL",
      {token, tokenExpired(row["token_expires_at"].asInt(), now) ? expiresAt : row["token_expires_at"].asInt(), now,
       row["id"].asInt()});
  mailLink(context, petition, row["email"].asString(), token);
  response.redirect(back + "check");
}

void confirmPage(Context& context, const Request& request, Response& response) {
  auto signature = byToken(context, request.param("token"));
  if (!signature) {
    confirmState(context, request, response, "unknown", 404);
    return;
  }
  auto petition = findPetition(context, signature->petitionId);
  if (signature->confirmed) {
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
      "UPDATE petitions_signatures SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL AND token_expires_at >= "
      "?",
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
