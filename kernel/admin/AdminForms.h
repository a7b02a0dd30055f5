#pragma once

#include <string>
#include <vector>

#include "kernel/app/Services.h"
#include "kernel/domain/Associations.h"
#include "kernel/http/HttpError.h"
#include "kernel/themes/Templates.h"

/// Pieces the admin pages share: localised errors, the association form and
/// the members page, so the federation panel and an association's own
/// admin pages render the same forms.
namespace ruche::admin {

/// The association form's fields as posted.
domain::AssociationInput associationInputFrom(const http::Request& request);

/// Where the association form posts and what it shows.
struct AssociationFormView {
  std::string action;        ///< URL the form posts to
  std::string cancel;        ///< URL of the "back" link
  std::string titleKey;      ///< catalogue key of the page title
  bool slugEditable = true;  ///< association admins see the slug but cannot change it
  std::string fixedSlug;     ///< shown when the slug is not editable
};

/// Renders the association form with values from `input` and `errors` (422 if any).
void associationForm(app::Services& services, http::Request& request, http::Response& response,
                     const AssociationFormView& view, const domain::AssociationInput& input,
                     const std::vector<http::FieldError>& errors);

/// Where the members page links and posts.
struct MembersView {
  std::string base;  ///< e.g. /admin/associations/<slug>/members
  std::string back;  ///< link back to the association's page in this panel
  std::string titleKey;
};

/// Renders the members table and the "give a role" form.
void membersPage(app::Services& services, http::Request& request, http::Response& response,
                 const domain::Association& association, const MembersView& view,
                 const std::vector<http::FieldError>& errors = {});

/// The association roles a form may give: admin, coordinator, volunteer.
const std::vector<std::string>& associationRoles();

/// The roles as <option>s ({value, label, selected}) in the visitor's language.
themes::Data roleOptions(app::Services& services, const http::Request& request, const std::string& chosen);

/// Validates the grant form (email, role) and grants the role; throws 422
/// naming `email` when no account has that address.
void grantFromForm(app::Services& services, const http::Request& request, long long associationId);

/// The account id of the path's {accountId}; 404 when it is not a number.
long long accountIdParam(const http::Request& request);

/// Sets `saved` (for a role="status" message) when the query has ?saved=1.
void markSaved(const http::Request& request, themes::Data& data);

}  // namespace ruche::admin
