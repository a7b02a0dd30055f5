#include "kernel/http/HttpError.h"
#include "kernel/http/Validator.h"
#include "kernel/web/Registrations.h"
#include "kernel/web/SignInCookie.h"

namespace ruche::web {
namespace {

using themes::Data;

Data formWith(const http::Request& request, const std::vector<http::FieldError>& errors,
              const std::vector<std::string>& keep) {
  Data data{Data::type::object};
  Data values{Data::type::object};
  for (const auto& name : keep) {
    values.set(name, request.formValue(name));
  }
  data.set("values", values);
  std::vector<http::FieldError> translated = errors;
  data.set("errors", themes::PageRenderer::fieldErrors(translated));
  return data;
}

void signupPage(app::Services& services, http::Request& request, http::Response& response,
                const std::vector<http::FieldError>& errors = {}) {
  Data data = formWith(request, services.pages.localised(request, errors), {"email", "display_name"});
  services.pages.page(request, response, "signup", data, "signup.title", errors.empty() ? 200 : 422);
}

void loginPage(app::Services& services, http::Request& request, http::Response& response, bool failed,
               int status = 200) {
  Data data = formWith(request, {}, {"email"});
  data.set("next",
           safeNext(request.formValue("next").empty() ? request.queryValue("next") : request.formValue("next")));
  data.set("failed", failed ? Data::type::bool_true : Data::type::bool_false);
  services.pages.page(request, response, "login", data, "login.title", status);
}

}  // namespace

void registerAuthPages(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  router.get("/signup", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    signupPage(services, request, response);
  });
  router.post("/signup", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    try {
      if (!request.formValue("website").empty()) {
        // Honeypot field, hidden from people: only robots fill it.
        throw http::badRequest("This form was not filled in by a person.");
      }
      long long id = services.accounts.signUp({request.formValue("email"), request.formValue("password"),
                                               request.formValue("display_name"), request.locale});
      signIn(services, request, response, id);
      response.redirect("/me?welcome=1");
    } catch (const http::HttpError& error) {
      if (error.status() != 422) {
        throw;
      }
      signupPage(services, request, response, error.fields());
    }
  });
  router.get("/login", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    loginPage(services, request, response, false);
  });
  router.post("/login", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    auto id =
        services.accounts.authenticate(request.formValue("email"), request.formValue("password"), request.remoteIp);
    if (!id) {
      loginPage(services, request, response, true, 401);
      return;
    }
    signIn(services, request, response, *id);
    response.redirect(safeNext(request.formValue("next")));
  });
  router.post("/logout", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    signOut(services, request, response);
    response.redirect("/");
  });
  router.get("/verify", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    bool ok = services.accounts.verifyEmail(request.queryValue("token"));
    Data data{Data::type::object};
    data.set("ok", ok ? Data::type::bool_true : Data::type::bool_false);
    services.pages.page(request, response, "verify", data, "verify.title", ok ? 200 : 400);
  });
  router.post("/verify/resend", guards.signedIn(), [&services](http::Request& request, http::Response& response) {
    if (!request.visitor.emailVerified) {
      services.accounts.sendVerification(request.visitor.accountId);
    }
    response.redirect("/me?verification_sent=1");
  });
  router.get("/reset", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    Data data{Data::type::object};
    std::string token = request.queryValue("token");
    data.set("token", token);
    data.set("has_token", token.empty() ? Data::type::bool_false : Data::type::bool_true);
    data.set("errors", themes::PageRenderer::fieldErrors({}));
    services.pages.page(request, response, "reset", data, "reset.title");
  });
  router.post("/reset", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    http::Validator v;
    v.email("email", request.formValue("email"));
    if (!v.ok()) {
      Data data = formWith(request, services.pages.localised(request, v.errors()), {"email"});
      data.set("has_token", Data::type::bool_false);
      services.pages.page(request, response, "reset", data, "reset.title", 422);
      return;
    }
    services.accounts.requestPasswordReset(request.formValue("email"), request.locale);
    Data data{Data::type::object};
    data.set("sent", Data::type::bool_true);
    data.set("errors", themes::PageRenderer::fieldErrors({}));
    services.pages.page(request, response, "reset", data, "reset.title");
  });
  router.post("/reset/confirm", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    std::string token = request.formValue("token");
    try {
      services.accounts.resetPassword(token, request.formValue("password"));
    } catch (const http::HttpError& error) {
      if (error.status() != 422) {
        throw;
      }
      Data data = formWith(request, services.pages.localised(request, error.fields()), {});
      data.set("token", token);
      data.set("has_token", Data::type::bool_true);
      services.pages.page(request, response, "reset", data, "reset.title", 422);
      return;
    }
    response.redirect("/login?reset=1");
  });
}

}  // namespace ruche::web
