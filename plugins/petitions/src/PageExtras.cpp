// The public page's additions: Markdown text, image, delivery, share links
// and QR code, the embeddable form, the proof-of-work and the
// disposable-domain check.
#include "PageExtras.h"

#include <set>

#include "Data.h"
#include "Disposable.h"
#include "Email.h"
#include "Image.h"
#include "Markdown.h"
#include "ProofOfWork.h"
#include "Qr.h"
#include "Rules.h"
#include "Share.h"
#include "Signing.h"
#include "Status.h"

namespace petitions {
namespace {

using ruche::sdk::Context;
using ruche::sdk::FieldError;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Value;

/// The longest delivery note, in characters.
constexpr std::size_t kMaxDeliveryNote = 2000;

std::string idText(const Petition& petition) {
  return std::to_string(petition.id);
}

/// The plugin's HMAC key for its form challenges.
std::string formKey(Context& context) {
  return pluginSecret(context, "form_key");
}

/// A petition of this association, for its coordinators.
Petition managedPetition(Context& context, const Request& request) {
  auto petition = findPetition(context, parseId(request.param("id")));
  if (!petition) {
    throw ruche::sdk::notFound(context.text("petitions.not_found"));
  }
  return *petition;
}

bool nonceUsed(Context& context, const std::string& nonce) {
  return !context.db().query("SELECT nonce FROM petitions_pow_used WHERE nonce = ?", {nonce}).empty();
}

/// The challenge the form carries: the one just sent back when it can still
/// be used (so a visitor told to wait does not start waiting again), a new
/// one otherwise.
std::string formChallenge(Context& context, const Request& request, const Petition& petition) {
  const std::string key = formKey(context);
  const long long now = context.now();
  if (request.method() == "POST") {
    std::string sent = request.form("challenge");
    auto challenge = readChallenge(key, sent);
    if (challenge && challenge->petitionId == petition.id && challenge->issuedAt <= now &&
        now - challenge->issuedAt <= kPowLifetimeSeconds && !nonceUsed(context, challenge->nonce)) {
      return sent;
    }
  }
  return newChallenge(context, petition);
}

/// Field errors as the kernel's pages show them, for a fragment rendered
/// with render() (page() only fills them in the page's own template).
Value errorsView(Context& context, const std::vector<FieldError>& errors) {
  Value view = Value::object();
  Value list = Value::array();
  for (const auto& error : errors) {
    std::string key = "validation." + error.code;
    std::string localised = context.text(key);
    std::string message = localised == key ? error.message : localised;
    view.set(error.field, message);
    list.push(Value::object({{"field", error.field}, {"message", message}}));
  }
  view.set("list", list);
  view.set("any", !errors.empty());
  return view;
}

/// The signing form's HTML, on the public page or in the embedded page.
std::string signFormHtml(Context& context, const Request& request, const Petition& petition, const Value& values,
                         const std::vector<FieldError>& errors, bool embedded) {
  const std::string id = idText(petition);
  bool pow = powOn(context);
  Value data = Value::object({
      {"sign_action", pluginPath(context, "/" + id + (embedded ? "/embed" : "/sign"))},
      {"embedded", embedded},
      {"csrf", request.csrfToken()},
      {"values", values},
      {"errors", errorsView(context, errors)},
      {"ask_postcode", petition.askPostcode},
      {"ask_country", petition.askCountry},
      {"ask_comment", petition.askComment},
      {"has_consent", !petition.consentText.empty()},
      {"consent_text", petition.consentText},
      {"has_challenge", pow || embedded},
      {"pow", pow},
  });
  if (pow || embedded) {
    data.set("challenge", formChallenge(context, request, petition));
  }
  if (pow) {
    long long wait = context.settings().integer("proof_of_work_seconds");
    data.set("pow_bits", kPowBits);
    data.set("pow_script", pluginPath(context, "/pow.js"));
    data.set("pow_hint", context.plural("petitions.pow_hint", wait));
  }
  return context.render("sign_form", data);
}

/// Delivery date and note, when the petition was delivered.
void addDelivery(Context& context, const Petition& petition, Value& data) {
  auto rows =
      context.db().query("SELECT delivered_on, delivery_note FROM petitions_petitions WHERE id = ?", {petition.id});
  bool delivered = petition.status == "delivered" && !rows.empty();
  data.set("is_delivered", delivered);
  if (delivered) {
    data.set("delivered_on", rows.front()["delivered_on"].asString());
    data.set("delivery_note", rows.front()["delivery_note"].asString());
    data.set("has_delivery_note", !rows.front()["delivery_note"].asString().empty());
  }
}

/// The image's path and alternative text, when the petition has one. On the
/// edit page (`manage`) the coordinators' path, which serves drafts too.
void addImage(Context& context, const Petition& petition, Value& data, bool manage = false) {
  auto rows = context.db().query("SELECT alt FROM petitions_images WHERE petition_id = ?", {petition.id});
  data.set("has_image", !rows.empty());
  if (!rows.empty()) {
    std::string src = manage ? "/manage/" + idText(petition) + "/image" : "/" + idText(petition) + "/image";
    data.set("image", Value::object({{"src", pluginPath(context, src)}, {"alt", rows.front()["alt"].asString()}}));
  }
}

/// The edit page with field errors (the image or delivery form).
void refuse(Context& context, const Request& request, Response& response, const Petition& petition, int status,
            const std::vector<FieldError>& errors) {
  renderEditPage(context, request, response, petition, status, errors);
}

/// The embedded page: the petition's title, counts and the form only.
void renderEmbed(Context& context, const Request& request, Response& response, const Petition& petition,
                 const Value& values, int status, const std::vector<FieldError>& errors) {
  Value data = petitionView(context, petition);
  bool accepts = acceptsSignatures(petition.status, petition.deadline, dayOf(context.now()));
  std::string signedState = request.method() == "GET" ? request.query("signed") : "";
  data.set("accepts", accepts);
  data.set("public_url", context.pluginUrl("/" + idText(petition)));
  data.set("signed_check", signedState == "check");
  data.set("signed_already", signedState == "already");
  data.set("signed_recent", signedState == "recent");
  data.set("errors", errorsView(context, errors));
  data.set("page_title", petition.title);
  if (accepts) {
    data.set("sign_form_html", signFormHtml(context, request, petition, values, errors, true));
  }
  response.html(context.render("embed", data), status);
}

const char* kPowScript = R"js(// Solves the petition form's proof-of-work (plugins/petitions, ProofOfWork.h)
// so the signature is accepted at once. Without this script the server
// accepts the form after a short wait instead.
(function () {
  'use strict';
  var form = document.querySelector('form[data-pow-bits]');
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) {
    return;
  }
  var bits = parseInt(form.getAttribute('data-pow-bits'), 10);
  var challenge = form.querySelector('input[name="challenge"]').value;
  var output = form.querySelector('input[name="pow_solution"]');
  var encoder = new TextEncoder();
  var solved = false;
  var waiting = false;
  function zeroBits(bytes) {
    var n = 0;
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      if (b === 0) { n += 8; continue; }
      while ((b & 0x80) === 0) { n++; b <<= 1; }
      break;
    }
    return n;
  }
  async function solve() {
    for (var n = 0; ; n++) {
      var digest = await window.crypto.subtle.digest('SHA-256', encoder.encode(challenge + ':' + n));
      if (zeroBits(new Uint8Array(digest)) >= bits) {
        output.value = String(n);
        solved = true;
        if (waiting) { form.submit(); }
        return;
      }
    }
  }
  form.addEventListener('submit', function (event) {
    if (!solved) { event.preventDefault(); waiting = true; }
  });
  solve();
})();
)js";

}  // namespace

void addPublicExtras(Context& context, const Request& request, const Petition& petition, Value& data,
                     const std::vector<FieldError>& errors) {
  const std::string id = idText(petition);
  data.set("body_html", renderMarkdown(petition.body));
  addDelivery(context, petition, data);
  addImage(context, petition, data);
  const std::string url = context.pluginUrl("/" + id);
  Value links = Value::array();
  for (const auto& link : shareLinks(url, petition.title, petition.title,
                                     context.text("petitions.share.mail_body") + "\n" + petition.title)) {
    links.push(Value::object(
        {{"network", link.network}, {"url", link.url}, {"label", context.text("petitions.share." + link.network)}}));
  }
  data.set("share_links", links);
  data.set("public_url", url);
  data.set("qr_svg", qrSvg(url, context.text("petitions.qr_alt") + " " + url, "qr-title"));
  data.set("qr_path", pluginPath(context, "/" + id + "/qr.svg"));
  if (data["accepts"].asBool()) {
    Value values = data.has("values") ? data["values"] : Value::object();
    data.set("sign_form_html", signFormHtml(context, request, petition, values, errors, false));
  }
}

Value manageExtras(Context& context, const Request& request, const Petition& petition) {
  const std::string id = idText(petition);
  Value data = Value::object();
  addImage(context, petition, data, true);
  addDelivery(context, petition, data);
  bool posted = request.method() == "POST";
  std::string deliveredOn = posted ? request.form("delivered_on") : data["delivered_on"].asString();
  std::string note = posted ? request.form("delivery_note") : data["delivery_note"].asString();
  std::string alt = posted ? request.form("alt") : data["image"]["alt"].asString();
  const std::string embedUrl = context.pluginUrl("/" + id + "/embed");
  std::string snippet = "<iframe src=\"" + ruche::sdk::escapeXml(embedUrl) + "\" title=\"" +
                        ruche::sdk::escapeXml(petition.title) +
                        "\" width=\"100%\" height=\"720\" loading=\"lazy\"></iframe>";
  data.set("image_action", pluginPath(context, "/manage/" + id + "/image"));
  data.set("image_delete_action", pluginPath(context, "/manage/" + id + "/image/delete"));
  data.set("deliver_action", pluginPath(context, "/manage/" + id + "/deliver"));
  data.set("can_deliver", petition.status == "closed" || petition.status == "delivered");
  data.set("deliver_values", Value::object({{"delivered_on", deliveredOn}, {"delivery_note", note}}));
  data.set("alt_value", alt);
  data.set("embed_snippet", snippet);
  data.set("embed_path", pluginPath(context, "/" + id + "/embed"));
  data.set("qr_path", pluginPath(context, "/" + id + "/qr.svg"));
  data.set("saved_image", request.query("saved") == "image");
  data.set("saved_delivery", request.query("saved") == "delivery");
  return data;
}

void checkDisposable(Context& context, const std::string& address, std::vector<FieldError>& errors) {
  std::string domain = asciiLower(address.substr(address.rfind('@') + 1));
  static const std::set<std::string> shipped = parseDomains(shippedDisposableDomains());
  if (isDisposable(domain, shipped) ||
      isDisposable(domain, parseDomains(context.settings().text("extra_disposable_domains")))) {
    errors.push_back({"email", "Addresses of disposable mailboxes are not accepted; use your usual address.",
                      "petitions.disposable"});
  }
}

bool powOn(Context& context) {
  return context.settings().flag("proof_of_work");
}

std::string newChallenge(Context& context, const Petition& petition) {
  return makeChallenge(formKey(context), petition.id, context.now(), context.randomToken(12));
}

void checkChallenge(Context& context, const Request& request, const Petition& petition, bool embedded,
                    std::vector<FieldError>& errors) {
  checkProof(context, request.form("challenge"), request.form("pow_solution"), petition, embedded, errors,
             "sign_submit");
}

void checkProof(Context& context, const std::string& text, const std::string& solution, const Petition& petition,
                bool embedded, std::vector<FieldError>& errors, const std::string& field) {
  bool pow = powOn(context);
  if (!pow && !embedded) {
    return;
  }
  const std::string key = formKey(context);
  const long long now = context.now();
  long long wait = pow ? context.settings().integer("proof_of_work_seconds") : 0;
  PowVerdict verdict = judge(key, text, solution, petition.id, now, wait);
  if (verdict == PowVerdict::TooEarly) {
    long long left = wait - (now - readChallenge(key, text)->issuedAt);
    errors.push_back({field, context.plural("petitions.pow_wait", left), "petitions.pow_wait_seconds"});
    return;
  }
  if (verdict != PowVerdict::Accepted) {
    errors.push_back({field, "This form has expired; it has been renewed: send it again.", "petitions.form_expired"});
    return;
  }
  if (!pow) {
    return;
  }
  // Used once: a solved (or waited) challenge sent again is refused.
  context.db().execute("DELETE FROM petitions_pow_used WHERE expires_at < ?", {now});
  auto challenge = readChallenge(key, text);
  bool fresh = true;
  try {
    context.db().savepoint([&] {
      context.db().execute("INSERT INTO petitions_pow_used (nonce, expires_at) VALUES (?, ?)",
                           {challenge->nonce, challenge->issuedAt + kPowLifetimeSeconds});
    });
  } catch (const std::exception&) {
    fresh = false;
  }
  if (!fresh) {
    errors.push_back(
        {field, "This form was already sent once; it has been renewed: send it again.", "petitions.form_replayed"});
  }
}

void uploadImage(Context& context, const Request& request, Response& response) {
  Petition petition = managedPetition(context, request);
  std::vector<FieldError> errors;
  auto file = request.file("image");
  std::string alt = trim(request.form("alt"));
  std::string type;
  if (!file || file->content.empty()) {
    errors.push_back({"image", "Choose an image file (JPEG, PNG or WebP).", "petitions.image_required"});
  } else if (file->content.size() > kMaxImageBytes) {
    errors.push_back({"image", "The image is larger than the limit.", "petitions.image_too_big"});
  } else if ((type = imageTypeOf(file->content)).empty()) {
    errors.push_back({"image", "This file is not a JPEG, PNG or WebP image.", "petitions.image_type"});
  }
  if (alt.empty()) {
    errors.push_back({"alt", "Describe the image for people who cannot see it.", "petitions.alt_required"});
  } else if (characters(alt) > kMaxAltCharacters) {
    errors.push_back({"alt", "This text is too long.", "petitions.too_long"});
  }
  if (!errors.empty()) {
    refuse(context, request, response, petition, 422, errors);
    return;
  }
  context.db().execute("DELETE FROM petitions_images WHERE petition_id = ?", {petition.id});
  context.db().execute(
      "INSERT INTO petitions_images (petition_id, content_type, alt, data, bytes, updated_at) VALUES (?, ?, ?, ?, ?, "
      "?)",
      {petition.id, type, alt, base64Encode(file->content), static_cast<long long>(file->content.size()),
       context.now()});
  response.redirect(pluginPath(context, "/manage/" + idText(petition) + "?saved=image"));
}

void deleteImage(Context& context, const Request& request, Response& response) {
  Petition petition = managedPetition(context, request);
  context.db().execute("DELETE FROM petitions_images WHERE petition_id = ?", {petition.id});
  response.redirect(pluginPath(context, "/manage/" + idText(petition) + "?saved=image"));
}

void deliver(Context& context, const Request& request, Response& response) {
  Petition petition = managedPetition(context, request);
  std::vector<FieldError> errors;
  std::string deliveredOn = trim(request.form("delivered_on"));
  std::string note = trim(request.form("delivery_note"));
  if (!allowedTransition(petition.status, "delivered")) {
    // Tied to the delivery section, not its day field: the form is only
    // shown for a closed petition, and the summary's link must lead somewhere.
    errors.push_back({"deliver", "Only a closed petition can be marked as delivered.", "petitions.deliver_not_closed"});
    refuse(context, request, response, petition, 409, errors);
    return;
  }
  if (deliveredOn.empty()) {
    errors.push_back({"delivered_on", "This field is required.", "petitions.required"});
  } else if (!validDay(deliveredOn)) {
    errors.push_back({"delivered_on", "The day is written YYYY-MM-DD.", "petitions.bad_day"});
  }
  if (characters(note) > kMaxDeliveryNote) {
    errors.push_back({"delivery_note", "This text is too long.", "petitions.too_long"});
  }
  if (!errors.empty()) {
    refuse(context, request, response, petition, 422, errors);
    return;
  }
  context.db().execute(
      "UPDATE petitions_petitions SET status = 'delivered', delivered_on = ?, delivery_note = ?, updated_at = ? "
      "WHERE id = ? AND association_id = ?",
      {deliveredOn, note, context.now(), petition.id, context.association().id});
  context.db().commit();  // then forgotten: see Manage.cpp's update
  forgetCachedPetitions();
  response.redirect(pluginPath(context, "/manage/" + idText(petition) + "?saved=delivery"));
}

namespace {

/// The stored image of a petition, with its type; 404 without one.
void serveImage(Context& context, const Petition& petition, Response& response) {
  auto rows =
      context.db().query("SELECT content_type, data FROM petitions_images WHERE petition_id = ?", {petition.id});
  if (rows.empty()) {
    throw ruche::sdk::notFound(context.text("petitions.no_image"));
  }
  response.status = 200;
  response.contentType = rows.front()["content_type"].asString();
  response.body = base64Decode(rows.front()["data"].asString());
  response.headers["Cache-Control"] = "public, max-age=300";
}

}  // namespace

void image(Context& context, const Request& request, Response& response) {
  serveImage(context, publicPetition(context, request), response);
}

void manageImage(Context& context, const Request& request, Response& response) {
  serveImage(context, managedPetition(context, request), response);
  response.headers["Cache-Control"] = "private, no-cache";
}

void qrCode(Context& context, const Request& request, Response& response) {
  Petition petition = publicPetition(context, request);
  const std::string url = context.pluginUrl("/" + idText(petition));
  response.status = 200;
  response.contentType = "image/svg+xml; charset=utf-8";
  response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
                  qrSvg(url, context.text("petitions.qr_alt") + " " + url, "qr-title") + "\n";
  response.headers["Content-Disposition"] = "attachment; filename=\"petition-" + idText(petition) + "-qr.svg\"";
}

void embedForm(Context& context, const Request& request, Response& response) {
  renderEmbed(context, request, response, publicPetition(context, request), Value::object(), 200, {});
}

void embedSign(Context& context, const Request& request, Response& response) {
  Petition petition = signablePetition(context, request.param("id"));
  SignPages pages{[&](const Value& values, int status, const std::vector<FieldError>& errors) {
                    renderEmbed(context, request, response, petition, values, status, errors);
                  },
                  pluginPath(context, "/" + idText(petition) + "/embed?signed="), true};
  signPetition(context, request, response, petition, pages);
}

void powScript(Context&, const Request&, Response& response) {
  response.status = 200;
  response.contentType = "text/javascript; charset=utf-8";
  response.body = kPowScript;
  response.headers["Cache-Control"] = "public, max-age=3600";
}

}  // namespace petitions
