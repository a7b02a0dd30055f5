#include "kernel/admin/AdminForms.h"
#include "kernel/admin/AdminPages.h"
#include "kernel/auth/Roles.h"
#include "kernel/domain/Associations.h"

namespace ruche::admin {
namespace {

// The association of the path, already resolved by AssociationMiddleware and
// checked by the guard: an association admin only ever reaches their own.
domain::Association current(app::Services& services, const http::Request& request) {
  auto association = domain::Associations(services.db).byId(request.association->id);
  if (!association) {
    throw http::notFound("No such association.");
  }
  return *association;
}

AssociationFormView settingsView(const domain::Association& a) {
  std::string base = "/a/" + a.slug + "/manage/settings";
  return {base, "/a/" + a.slug + "/manage/members", "admin.settings.title", false, a.slug};
}

MembersView membersView(const domain::Association& a) {
  return {"/a/" + a.slug + "/manage/members", "/a/" + a.slug + "/manage/settings", "admin.manage_members.title"};
}

}  // namespace

void registerAssociationAdminPages(http::Router& router, app::Services& services) {
  auto guard = services.guards.association(auth::Role::Admin);

  router.get("/a/{slug}/manage/settings", guard, [&services](http::Request& request, http::Response& response) {
    auto a = current(services, request);
    associationForm(services, request, response, settingsView(a),
                    {a.slug, a.name, a.description, a.logoUrl, a.contactEmail, a.contactPhone, a.place, a.charter}, {});
  });
  router.post("/a/{slug}/manage/settings", guard, [&services](http::Request& request, http::Response& response) {
    auto a = current(services, request);
    domain::AssociationInput input = associationInputFrom(request);
    input.slug = a.slug;  // the address of an association is the federation's to change
    try {
      domain::Associations(services.db).update(a.id, input);
    } catch (const http::HttpError& error) {
      if (error.status() != 422) {
        throw;
      }
      associationForm(services, request, response, settingsView(a), input, error.fields());
      return;
    }
    response.redirect(settingsView(a).action + "?saved=1");
  });

  router.get("/a/{slug}/manage/members", guard, [&services](http::Request& request, http::Response& response) {
    auto a = current(services, request);
    membersPage(services, request, response, a, membersView(a));
  });
  router.post("/a/{slug}/manage/members", guard, [&services](http::Request& request, http::Response& response) {
    auto a = current(services, request);
    try {
      grantFromForm(services, request, a.id);
    } catch (const http::HttpError& error) {
      if (error.status() != 422) {
        throw;
      }
      membersPage(services, request, response, a, membersView(a), error.fields());
      return;
    }
    response.redirect(membersView(a).base + "?saved=1");
  });
  router.post("/a/{slug}/manage/members/{accountId}/remove", guard,
              [&services](http::Request& request, http::Response& response) {
                auto a = current(services, request);
                long long accountId = accountIdParam(request);
                if (accountId == request.visitor.accountId && !request.visitor.federationAdmin) {
                  // Removing oneself would lock the association's admin out of this page.
                  throw http::HttpError(409, "Conflict", "You cannot remove your own role here.");
                }
                domain::Associations(services.db, &services.events).revokeRole(a.id, accountId);
                response.redirect(membersView(a).base + "?removed=1");
              });
}

}  // namespace ruche::admin
