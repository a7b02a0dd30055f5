#pragma once

#include <functional>
#include <optional>
#include <ruche/sdk/Sdk.h>
#include <string>
#include <vector>

#include "DataRules.h"
#include "Email.h"
#include "Store.h"

/// Signers' data (issue 7): signing shared by the page and the JSON API,
/// personal links (withdrawal, stop the updates), updates to those who
/// consented, erasure after closing, the delivery report, the person's
/// data through the SDK.
namespace petitions {

// --- routes, jobs and personal data (DataRoutes.cpp) ---------------------

/// Declares every route, job and the personal-data handler of this part.
void registerData(ruche::sdk::Registrar& registrar);

// --- signing (SignatureFlow.cpp) -------------------------------------------

/// One signature as sent by the form or the API, already checked.
struct SignatureInput {
  std::string name;
  std::string email;  ///< as typed, trimmed (shown back on errors)
  std::optional<NormalisedEmail> normalised;
  std::string postcode;
  std::string country;
  std::string comment;
  bool consent = false;
  std::string locale;  ///< the signer's language, for later mails
};

/// Reads the fields `petition` asks (`get` gives a field's raw text) and
/// adds a FieldError for each missing, oversized or malformed one.
SignatureInput readSignature(const Petition& petition, const std::function<std::string(const std::string&)>& get,
                             const std::string& locale, std::vector<ruche::sdk::FieldError>& errors);

/// Refuses the request (429) when this IP already tried ip_limit times on
/// this petition within the window; records this attempt otherwise.
void limitPerIp(ruche::sdk::Context& context, const ruche::sdk::Request& request, long long petitionId);

/// The 429 of an address over the per-IP limit, its text in the request's
/// language (the form shows it as an error of the form's submit button).
ruche::sdk::HttpError tooManyAttempts(ruche::sdk::Context& context);

/// What became of a valid signature.
enum class SignOutcome {
  Mailed,   ///< new, or pending again: a confirmation link was mailed
  Recent,   ///< pending, and its link was mailed a few minutes ago: nothing done
  Already,  ///< confirmed already: nothing done
};

/// Stores a valid signature with the concurrent ones (SignatureBatch.h),
/// counting it against the per-IP limit (429 past it), and mails its
/// confirmation link; an address that signed before goes through
/// recordSignature(). Returns once the outcome is durable.
SignOutcome storeSignature(ruche::sdk::Context& context, const ruche::sdk::Request& request, const Petition& petition,
                           const SignatureInput& input);

/// The texts of the confirmation mail in one language (read once for a
/// whole batch of signatures).
struct ConfirmationTexts {
  std::string subject, intro, action, expiry, ignore, withdraw;
};
ConfirmationTexts confirmationTexts(ruche::sdk::Context& context, const std::string& locale);

/// The mail with the confirmation link a signer just asked for, and how to
/// withdraw (both tokens in plain: rowLink or issueLink).
ruche::sdk::Mail confirmationMail(ruche::sdk::Context& context, const ConfirmationTexts& texts,
                                  const std::string& petitionTitle, const std::string& address,
                                  const std::string& confirmToken, const std::string& withdrawToken);

/// Stores a new signature (or renews a pending one's link) and mails the
/// confirmation link, with a withdrawal link; tokens are stored hashed.
SignOutcome recordSignature(ruche::sdk::Context& context, const Petition& petition, const SignatureInput& input);

/// How a confirmation token stands, or what confirming it did.
enum class ConfirmState { Ask, Confirmed, Unknown, Used, Expired, Closed, Withdrawn };

struct ConfirmResult {
  ConfirmState state = ConfirmState::Unknown;
  std::optional<Petition> petition;  ///< when the token is known
};

/// Checks a confirmation token (stored hashed) in the context's
/// association and, with `apply`, confirms its signature when it may:
/// counted once on one random shard, with the event petitions.signed.
ConfirmResult confirmToken(ruche::sdk::Context& context, const std::string& token, bool apply);

/// The HTTP status of a state: 200 ask/confirmed, 404 unknown, 409 used or
/// closed, 410 expired or withdrawn.
int confirmStatus(ConfirmState state);

/// The state's name in pages: ask, confirmed, unknown, used, expired, closed, withdrawn.
std::string confirmStateName(ConfirmState state);

// --- personal links (Links.cpp) --------------------------------------------

/// The absolute URL of a path of this plugin in association `slug` (jobs
/// run at federation level, where pluginUrl has no association).
std::string associationUrl(ruche::sdk::Context& context, const std::string& slug, const std::string& path);

/// A new personal link token for a signature (its hash is stored in
/// petitions_links: one per mail, for the mails sent after the first).
std::string issueLink(ruche::sdk::Context& context, long long signatureId);

/// The token of a link naming signature `signatureId`: rowToken with the id
/// hidden (LinkIds.h, keyed by the plugin's secret "link_key", which
/// migration 010 makes).
std::string rowLink(ruche::sdk::Context& context, long long signatureId, const std::string& secret);

/// The signature a rowLink token names, and its secret; nothing for any
/// other token.
struct RowLink {
  long long signatureId = 0;
  std::string secret;
};
std::optional<RowLink> readRowLink(ruche::sdk::Context& context, const std::string& token);

/// One of the plugin's random secrets (form_key): made on first use and
/// kept in petitions_secrets, so every process of the site shares it.
std::string pluginSecret(ruche::sdk::Context& context, const std::string& name);

/// Whether `secret` hashes to `storedHash`, compared in constant time.
bool secretMatches(const std::string& secret, const std::string& storedHash);

/// The lines every mail to a signer ends with: how to withdraw, with a
/// fresh personal link, in `locale`.
std::string withdrawalLines(ruche::sdk::Context& context, const std::string& slug, const std::string& token,
                            const std::string& locale);

/// A signature found by a personal link, in the context's association.
struct LinkedSignature {
  long long id = 0;
  long long petitionId = 0;
  std::string petitionTitle;
  bool withdrawn = false;
  bool consent = false;
};
std::optional<LinkedSignature> signatureByLink(ruche::sdk::Context& context, const std::string& token);

// --- withdrawal (Withdrawal.cpp) -------------------------------------------

/// Withdraws a signature: marks it, blanks its personal data and, if it was
/// confirmed, takes it off the count (one shard, exactly once). False when
/// it was already withdrawn.
bool withdrawSignature(ruche::sdk::Context& context, long long signatureId);

// --- updates (Updates.cpp) -------------------------------------------------

/// The petition's updates for its public page, newest first.
ruche::sdk::Value publicUpdates(ruche::sdk::Context& context, long long petitionId);

/// Queues the next batch of one update's mails; returns how many.
long long queueUpdateBatch(ruche::sdk::Context& context, const std::string& slug, long long updateId);

/// The send_updates job: the next batch of every unfinished update.
void sendUpdatesJob(ruche::sdk::Context& context);

// --- retention (Retention.cpp) ---------------------------------------------

/// Notes which of the association's petitions stopped taking signatures
/// (closed, delivered, or past their deadline) and since when, forgets
/// those open again, and gives those not yet erased the association's
/// erase_months in force.
void syncRetention(ruche::sdk::Context& context, long long associationId);

/// The daily erase_closed job: erases signers' personal data of petitions
/// closed erase_months ago, keeping the counts and the report totals.
void eraseClosedJob(ruche::sdk::Context& context);

/// The forget_ip_hits job: drops signing attempts older than the window.
void forgetIpHitsJob(ruche::sdk::Context& context);

// --- the delivery report (Report.cpp) --------------------------------------

/// The report of a petition: live from confirmed signatures, or the totals
/// kept when its signers' data was erased.
ReportCounts petitionReport(ruche::sdk::Context& context, long long petitionId);

/// The report as CSV: kind,label,count.
std::string reportCsv(const ReportCounts& report);

/// The report as JSON: {"areas": [{"area", "count"}], "countries": [{"country", "count"}]}.
ruche::sdk::Value reportJson(const ReportCounts& report);

// --- personal data (PersonalData.cpp) --------------------------------------

/// The person's signatures, by the normalised e-mail of their account.
ruche::sdk::Value exportSignatures(ruche::sdk::Context& context, const std::string& email);

/// Withdraws every signature of that address (counts corrected).
void eraseSignatures(ruche::sdk::Context& context, const std::string& email);

}  // namespace petitions
