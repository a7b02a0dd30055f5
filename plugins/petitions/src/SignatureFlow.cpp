// Signing, shared by the public form (Signing.cpp) and the JSON API
// (Api.cpp): the same checks, the same storage, the same mail.
#include <random>
#include <string>
#include <vector>

#include "Data.h"
#include "SignatureBatch.h"
#include "TokenHash.h"

namespace petitions {
namespace {

using ruche::sdk::Context;
using ruche::sdk::FieldError;
using ruche::sdk::Request;
using ruche::sdk::Value;

/// A pending signer asking again gets the link again at most this often.
constexpr long long kResendSeconds = 600;

/// A text field of at most `max` characters, required or not.
std::string field(const std::function<std::string(const std::string&)>& get, std::vector<FieldError>& errors,
                  const std::string& name, std::size_t max, bool required) {
  std::string value = trim(get(name));
  if (required && value.empty()) {
    errors.push_back({name, "This field is required.", "petitions.required"});
  } else if (characters(value) > max) {
    errors.push_back({name, "This text is too long.", "petitions.too_long"});
  } else if (value.find('\0') != std::string::npos) {
    // No text holds one; PostgreSQL refuses it, and in a batch's array it
    // would fail every signer of the batch.
    errors.push_back({name, "This text contains a character that is not allowed.", "petitions.bad_character"});
  }
  return value;
}

/// Mails the link for a signature already stored.
void mailLink(Context& context, const Petition& petition, const std::string& address, const std::string& token,
              const std::string& withdrawToken, const std::string& locale) {
  context.sendMail(
      confirmationMail(context, confirmationTexts(context, locale), petition.title, address, token, withdrawToken));
}

int randomShard() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return pickShard(generator());
}

}  // namespace

ConfirmationTexts confirmationTexts(Context& context, const std::string& locale) {
  return {context.text("petitions.mail.subject", locale),
          context.text("petitions.mail.intro", locale),
          context.text("petitions.mail.action", locale),
          context.plural("petitions.mail.expiry", context.settings().integer("confirm_hours"), locale),
          context.text("petitions.mail.ignore", locale),
          context.text("petitions.mail.withdraw", locale)};
}

ruche::sdk::Mail confirmationMail(Context& context, const ConfirmationTexts& texts, const std::string& petitionTitle,
                                  const std::string& address, const std::string& confirmToken,
                                  const std::string& withdrawToken) {
  const std::string& slug = context.association().slug;
  ruche::sdk::Mail mail;
  mail.to = address;
  mail.subject = texts.subject;
  mail.text = texts.intro + "\n\n" + petitionTitle + "\n\n" + texts.action + "\n" +
              associationUrl(context, slug, "/confirm/" + confirmToken) + "\n\n" + texts.expiry + "\n" + texts.ignore +
              "\n\n" + texts.withdraw + "\n" + associationUrl(context, slug, "/withdraw/" + withdrawToken) + "\n";
  return mail;
}

SignatureInput readSignature(const Petition& petition, const std::function<std::string(const std::string&)>& get,
                             const std::string& locale, std::vector<FieldError>& errors) {
  SignatureInput input;
  input.name = field(get, errors, "name", 120, true);
  std::string rawEmail = get("email");
  input.email = trim(rawEmail);
  input.normalised = normaliseEmail(rawEmail);
  if (input.email.empty()) {
    errors.push_back({"email", "This field is required.", "petitions.required"});
  } else if (!input.normalised) {
    errors.push_back({"email", "This is not a valid e-mail address.", "petitions.bad_email"});
  }
  input.postcode = petition.askPostcode ? field(get, errors, "postcode", 20, true) : "";
  input.country = petition.askCountry ? field(get, errors, "country", 60, true) : "";
  input.comment = petition.askComment ? field(get, errors, "comment", 1000, false) : "";
  input.consent = !petition.consentText.empty() && get("consent") == "1";
  input.locale = locale == "en" ? "en" : "fr";
  return input;
}

void limitPerIp(Context& context, const Request& request, long long petitionId) {
  long long now = context.now();
  long long windowStart = now - kIpWindowSeconds;
  // One statement: count this attempt, restarting the window when it is over.
  auto rows = context.db().query(
      "INSERT INTO petitions_ip_counts (petition_id, ip, window_start, n) VALUES (?, ?, ?, 1) "
      "ON CONFLICT (petition_id, ip) DO UPDATE SET "
      "n = CASE WHEN petitions_ip_counts.window_start <= ? THEN 1 ELSE petitions_ip_counts.n + 1 END, "
      "window_start = CASE WHEN petitions_ip_counts.window_start <= ? THEN ? ELSE petitions_ip_counts.window_start "
      "END RETURNING n",
      {petitionId, request.remoteIp(), now, windowStart, windowStart, now});
  if (!rows.empty() && rows.front()["n"].asInt() > context.settings().integer("ip_limit")) {
    throw tooManyAttempts(context);
  }
}

ruche::sdk::HttpError tooManyAttempts(Context& context) {
  return ruche::sdk::HttpError(429, "Too Many Requests", context.text("validation.petitions.too_many"));
}

SignOutcome storeSignature(Context& context, const Request& request, const Petition& petition,
                           const SignatureInput& input) {
  PendingSignature item;
  item.petitionId = petition.id;
  item.ip = request.remoteIp();
  item.input = input;
  item.petitionTitle = petition.title;
  item.confirmSecret = context.randomToken();
  item.withdrawSecret = context.randomToken();
  item.confirmHash = tokenHash(item.confirmSecret);
  item.withdrawHash = tokenHash(item.withdrawSecret);
  item.expiresAt = context.now() + context.settings().integer("confirm_hours") * 3600;
  // What this request did so far (reads, a used proof-of-work challenge)
  // ends here, so that it waits for its batch holding no connection: the
  // leader needs one from the same pool.
  context.db().commit();
  submitSignature(context, item);
  switch (item.result) {
    case PendingSignature::Result::Stored:
      return SignOutcome::Mailed;
    case PendingSignature::Result::TooMany:
      throw tooManyAttempts(context);
    case PendingSignature::Result::Conflict:
      return recordSignature(context, petition, input);
    case PendingSignature::Result::Failed:
    case PendingSignature::Result::Waiting:
      break;
  }
  // The batch it was in failed (and was rolled back): one by one, in this
  // request's own transaction.
  limitPerIp(context, request, petition.id);
  return recordSignature(context, petition, input);
}

SignOutcome recordSignature(Context& context, const Petition& petition, const SignatureInput& input) {
  const NormalisedEmail& email = *input.normalised;
  long long now = context.now();
  long long expiresAt = now + context.settings().integer("confirm_hours") * 3600;
  auto existing = context.db().query(
      "SELECT id, email, locale, token_expires_at, mailed_at, confirmed_at FROM petitions_signatures "
      "WHERE petition_id = ? AND email_key = ?",
      {petition.id, email.key});
  if (existing.empty()) {
    std::string secret = context.randomToken();
    std::string withdrawSecret = context.randomToken();
    long long id = 0;
    try {
      context.db().savepoint([&] {
        id = context.db().insert(
            "INSERT INTO petitions_signatures (petition_id, email, email_key, name, postcode, country, comment, "
            "consent, token, token_expires_at, mailed_at, created_at, locale, withdraw_hash, linked_by_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            {petition.id, email.address, email.key, input.name, input.postcode, input.country, input.comment,
             input.consent ? 1 : 0, tokenHash(secret), expiresAt, now, now, input.locale, tokenHash(withdrawSecret)});
      });
    } catch (const std::exception&) {
      // The same address signed at the same moment: that attempt mails the link.
      return SignOutcome::Mailed;
    }
    mailLink(context, petition, email.address, rowLink(context, id, secret), rowLink(context, id, withdrawSecret),
             input.locale);
    return SignOutcome::Mailed;
  }

  const auto& row = existing.front();
  if (!row["confirmed_at"].isNull()) {
    return SignOutcome::Already;
  }
  bool expired = tokenExpired(row["token_expires_at"].asInt(), now);
  if (!expired && row["mailed_at"].asInt() > now - kResendSeconds) {
    return SignOutcome::Recent;
  }
  // Only the token's hash is stored, so asking again always mails a new
  // link (the previous one stops working); its expiry stays unless passed.
  // The withdrawal links of earlier mails keep working: this mail's is a
  // new one of petitions_links.
  long long id = row["id"].asInt();
  std::string secret = context.randomToken();
  context.db().execute(
      "UPDATE petitions_signatures SET token = ?, linked_by_id = 1, token_expires_at = ?, mailed_at = ? WHERE id = ? "
      "AND confirmed_at IS NULL",
      {tokenHash(secret), expired ? expiresAt : row["token_expires_at"].asInt(), now, id});
  std::string locale = row["locale"].asString().empty() ? input.locale : row["locale"].asString();
  mailLink(context, petition, row["email"].asString(), rowLink(context, id, secret), issueLink(context, id), locale);
  return SignOutcome::Mailed;
}

ConfirmResult confirmToken(Context& context, const std::string& token, bool apply) {
  if (token.empty() || token.size() > 200) {
    return {};
  }
  // A token naming its row (rowLink) by the primary key, an earlier one by its hash
  // (migration 008: the token index holds only those).
  const std::string kColumns =
      "SELECT s.id AS id, s.petition_id AS petition_id, s.token_expires_at AS expires_at, "
      "s.confirmed_at AS confirmed_at, s.withdrawn_at AS withdrawn_at, s.token AS token FROM petitions_signatures s "
      "JOIN petitions_petitions p ON p.id = s.petition_id WHERE ";
  auto byRow = readRowLink(context, token);
  auto rows = byRow ? context.db().query(kColumns + "s.id = ? AND s.linked_by_id = 1 AND p.association_id = ?",
                                         {byRow->signatureId, context.association().id})
                    : context.db().query(kColumns + "s.token = ? AND s.linked_by_id = 0 AND p.association_id = ?",
                                         {tokenHash(token), context.association().id});
  if (rows.empty() || (byRow && !secretMatches(byRow->secret, rows.front()["token"].asString()))) {
    return {};
  }
  const auto& row = rows.front();
  ConfirmResult result{ConfirmState::Ask, findPetition(context, row["petition_id"].asInt())};
  long long now = context.now();
  if (!row["withdrawn_at"].isNull()) {
    result.state = ConfirmState::Withdrawn;
  } else if (!row["confirmed_at"].isNull()) {
    result.state = ConfirmState::Used;
  } else if (tokenExpired(row["expires_at"].asInt(), now)) {
    result.state = ConfirmState::Expired;
  } else if (!result.petition || !acceptsSignatures(result.petition->status, result.petition->deadline, dayOf(now))) {
    result.state = ConfirmState::Closed;
  }
  if (!apply || result.state != ConfirmState::Ask) {
    return result;
  }
  // Only the first of two concurrent confirmations changes the row, and
  // none after a withdrawal.
  long long changed = context.db().execute(
      "UPDATE petitions_signatures SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL AND withdrawn_at IS NULL "
      "AND token_expires_at >= ?",
      {now, row["id"].asInt(), now});
  if (changed != 1) {
    result.state = ConfirmState::Used;
    return result;
  }
  context.db().execute("UPDATE petitions_counters SET n = n + 1 WHERE petition_id = ? AND shard = ?",
                       {result.petition->id, randomShard()});
  context.publish("petitions.signed", Value::object({{"petition_id", result.petition->id}}));
  result.state = ConfirmState::Confirmed;
  return result;
}

int confirmStatus(ConfirmState state) {
  switch (state) {
    case ConfirmState::Ask:
    case ConfirmState::Confirmed:
      return 200;
    case ConfirmState::Unknown:
      return 404;
    case ConfirmState::Used:
    case ConfirmState::Closed:
      return 409;
    case ConfirmState::Expired:
    case ConfirmState::Withdrawn:
      return 410;
  }
  return 500;
}

std::string confirmStateName(ConfirmState state) {
  switch (state) {
    case ConfirmState::Ask:
      return "ask";
    case ConfirmState::Confirmed:
      return "confirmed";
    case ConfirmState::Unknown:
      return "unknown";
    case ConfirmState::Used:
      return "used";
    case ConfirmState::Expired:
      return "expired";
    case ConfirmState::Closed:
      return "closed";
    case ConfirmState::Withdrawn:
      return "withdrawn";
  }
  return "unknown";
}

}  // namespace petitions
