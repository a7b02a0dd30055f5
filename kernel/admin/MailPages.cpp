#include <Poco/URI.h>

#include <string>

#include "kernel/admin/AdminForms.h"
#include "kernel/admin/AdminPages.h"
#include "kernel/http/Validator.h"

// /admin/mail: what the server sends mail through (from the configuration
// file: read-only here) and a button that sends a test mail through the real
// mailer, showing what the SMTP server answered.
namespace ruche::admin {
namespace {

using themes::Data;

Data flag(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

/// What the last test did, for the page.
struct TestOutcome {
  bool sent = false;
  std::string to;
  std::string failure;  ///< the SMTP server's answer when it refused
};

void mailPage(app::Services& services, http::Request& request, http::Response& response, const std::string& to,
              const TestOutcome& outcome, const std::vector<http::FieldError>& errors, int status) {
  const auto& smtp = services.settings.smtp;
  Data data{Data::type::object};
  data.set("enabled", flag(services.mailer.enabled()));
  data.set("host", smtp.host);
  data.set("port", std::to_string(smtp.port));
  data.set("user", smtp.user);
  data.set("has_user", flag(!smtp.user.empty()));
  data.set("has_password", flag(!smtp.password.empty()));
  data.set("from", smtp.from);
  Data values{Data::type::object};
  values.set("to", to);
  data.set("values", values);
  data.set("sent", flag(outcome.sent));
  data.set("sent_to", outcome.to);
  data.set("failed", flag(!outcome.failure.empty()));
  data.set("failure", outcome.failure);
  data.set("errors", themes::PageRenderer::fieldErrors(services.pages.localised(request, errors)));
  services.pages.page(request, response, "admin_mail", data, "admin_mail.title", status);
}

}  // namespace

void registerMailPages(http::Router& router, app::Services& services) {
  auto guard = services.guards.federationAdmin();
  router.get("/admin/mail", guard, [&services](http::Request& request, http::Response& response) {
    TestOutcome outcome;
    std::string sentTo = request.queryValue("sent");
    if (!sentTo.empty() && sentTo.size() <= 254) {
      outcome.sent = true;
      outcome.to = sentTo;
    }
    mailPage(services, request, response, request.visitor.email, outcome, {}, 200);
  });
  router.post("/admin/mail/test", guard, [&services](http::Request& request, http::Response& response) {
    std::string to = request.formValue("to");
    http::Validator v;
    to = v.email("to", to);
    if (!v.ok()) {
      mailPage(services, request, response, request.formValue("to"), {}, v.errors(), 422);
      return;
    }
    mail::OutgoingMail message;
    message.to = to;
    message.subject = services.pages.text(request, "admin_mail.test_subject");
    message.body = services.pages.text(request, "admin_mail.test_body") + "\n\n" + services.settings.baseUrl + "\n";
    try {
      services.mailer.send(message);
    } catch (const std::exception& e) {
      // The server's answer, for the admin to act on (wrong password, port…).
      mailPage(services, request, response, to, {false, to, e.what()}, {}, 502);
      return;
    }
    std::string encoded;
    Poco::URI::encode(to, "?&=#+%", encoded);
    response.redirect("/admin/mail?sent=" + encoded);
  });
}

}  // namespace ruche::admin
