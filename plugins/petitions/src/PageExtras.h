#pragma once

#include <ruche/sdk/Sdk.h>
#include <string>
#include <vector>

#include "Store.h"

/// The public page's additions (issue 7, second slice): Markdown text,
/// image, delivery, share links and QR code, the embeddable form, the
/// proof-of-work and the disposable-domain check. PetitionsPlugin.cpp says
/// which route calls which handler.
namespace petitions {

/// Adds to a public page's data: body_html (Markdown), image, delivery,
/// share links, QR code, the signing form's HTML (sign_form_html).
/// `errors`: the signing form's, when it is shown again.
void addPublicExtras(ruche::sdk::Context& context, const ruche::sdk::Request& request, const Petition& petition,
                     ruche::sdk::Value& data, const std::vector<ruche::sdk::FieldError>& errors);

/// The coordinators' edit page additions: image form, delivery form, the
/// <iframe> snippet, the QR code download.
ruche::sdk::Value manageExtras(ruche::sdk::Context& context, const ruche::sdk::Request& request,
                               const Petition& petition);

/// A field error on "email" when the address's domain is disposable (the
/// shipped list or the extra_disposable_domains setting).
void checkDisposable(ruche::sdk::Context& context, const std::string& address,
                     std::vector<ruche::sdk::FieldError>& errors);

/// Whether the association asks signers for the proof-of-work.
bool powOn(ruche::sdk::Context& context);

/// A new challenge for `petition`, signed with the plugin's key (see
/// ProofOfWork.h).
std::string newChallenge(ruche::sdk::Context& context, const Petition& petition);

/// Checks the form's signed challenge: always on the embedded form (it
/// stands in for the CSRF cookie a framed page cannot keep), and on both
/// forms with the proof-of-work when the setting is on (solved, or sent
/// after the wait; used once). A field error "sign_submit" otherwise.
void checkChallenge(ruche::sdk::Context& context, const ruche::sdk::Request& request, const Petition& petition,
                    bool embedded, std::vector<ruche::sdk::FieldError>& errors);

/// checkChallenge's judgement of a challenge and its solution however they
/// came (a form, or the JSON API's body), its errors on `field`.
void checkProof(ruche::sdk::Context& context, const std::string& challenge, const std::string& solution,
                const Petition& petition, bool embedded, std::vector<ruche::sdk::FieldError>& errors,
                const std::string& field);

/// The coordinators' edit page of `petition` with field errors (from the
/// image or delivery form). Defined in Manage.cpp.
void renderEditPage(ruche::sdk::Context& context, const ruche::sdk::Request& request, ruche::sdk::Response& response,
                    const Petition& petition, int status, const std::vector<ruche::sdk::FieldError>& errors);

// Coordinators
void uploadImage(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void deleteImage(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void deliver(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void manageImage(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
// The public
void image(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void qrCode(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void embedForm(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void embedSign(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void powScript(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);

}  // namespace petitions
