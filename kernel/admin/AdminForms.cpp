#include "kernel/admin/AdminForms.h"

#include "kernel/auth/Roles.h"
#include "kernel/http/Validator.h"

namespace ruche::admin {
namespace {

using themes::Data;

const std::vector<std::string> kRoles = {"admin", "coordinator", "volunteer"};

Data boolean(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

}  // namespace

domain::AssociationInput associationInputFrom(const http::Request& request) {
  domain::AssociationInput input;
  input.slug = request.formValue("slug");
  input.name = request.formValue("name");
  input.description = request.formValue("description");
  input.logoUrl = request.formValue("logo_url");
  input.contactEmail = request.formValue("contact_email");
  input.contactPhone = request.formValue("contact_phone");
  input.place = request.formValue("place");
  input.charter = request.formValue("charter");
  return input;
}

void markSaved(const http::Request& request, Data& data) {
  data.set("saved", boolean(request.queryValue("saved") == "1"));
}

void associationForm(app::Services& services, http::Request& request, http::Response& response,
                     const AssociationFormView& view, const domain::AssociationInput& input,
                     const std::vector<http::FieldError>& errors) {
  Data data{Data::type::object};
  Data values{Data::type::object};
  values.set("slug", input.slug);
  values.set("name", input.name);
  values.set("description", input.description);
  values.set("logo_url", input.logoUrl);
  values.set("contact_email", input.contactEmail);
  values.set("contact_phone", input.contactPhone);
  values.set("place", input.place);
  values.set("charter", input.charter);
  data.set("values", values);
  data.set("errors", themes::PageRenderer::fieldErrors(services.pages.localised(request, errors)));
  data.set("action", view.action);
  data.set("cancel", view.cancel);
  data.set("slug_editable", boolean(view.slugEditable));
  data.set("fixed_slug", view.fixedSlug);
  markSaved(request, data);
  services.pages.page(request, response, "admin_association_form", data, view.titleKey, errors.empty() ? 200 : 422);
}

void membersPage(app::Services& services, http::Request& request, http::Response& response,
                 const domain::Association& association, const MembersView& view,
                 const std::vector<http::FieldError>& errors) {
  domain::Associations associations(services.db);
  Data data{Data::type::object};
  data.set("association_name", association.name);
  data.set("association_slug", association.slug);
  data.set("base", view.base);
  data.set("back", view.back);
  Data members{Data::type::list};
  for (const auto& member : associations.members(association.id)) {
    Data row{Data::type::object};
    row.set("account_id", std::to_string(member.accountId));
    row.set("display_name", member.displayName);
    row.set("email", member.email);
    row.set("role", services.pages.text(request, "admin.role." + member.role));
    members.push_back(row);
  }
  data.set("has_members", boolean(!members.is_empty_list()));
  data.set("members", members);
  std::string chosenRole = errors.empty() ? "volunteer" : request.formValue("role");
  data.set("roles", roleOptions(services, request, chosenRole));
  Data values{Data::type::object};
  values.set("email", errors.empty() ? std::string() : request.formValue("email"));
  data.set("values", values);
  data.set("errors", themes::PageRenderer::fieldErrors(services.pages.localised(request, errors)));
  markSaved(request, data);
  data.set("removed", boolean(request.queryValue("removed") == "1"));
  services.pages.page(request, response, "admin_members", data, view.titleKey, errors.empty() ? 200 : 422);
}

const std::vector<std::string>& associationRoles() {
  return kRoles;
}

Data roleOptions(app::Services& services, const http::Request& request, const std::string& chosen) {
  Data roles{Data::type::list};
  for (const auto& role : kRoles) {
    Data option{Data::type::object};
    option.set("value", role);
    option.set("label", services.pages.text(request, "admin.role." + role));
    option.set("selected", boolean(role == chosen));
    roles.push_back(option);
  }
  return roles;
}

void grantFromForm(app::Services& services, const http::Request& request, long long associationId) {
  http::Validator v;
  std::string email = v.email("email", request.formValue("email"));
  std::string role = v.oneOf("role", request.formValue("role"), kRoles);
  v.check();
  auto accountId = services.accounts.findByEmail(email);
  if (!accountId) {
    throw http::unprocessable({{"email", "belongs to no account", "unknown_account"}});
  }
  domain::Associations(services.db).grantRole(associationId, *accountId, role);
}

long long accountIdParam(const http::Request& request) {
  std::string raw = request.param("accountId");
  if (raw.empty() || raw.size() > 18 || raw.find_first_not_of("0123456789") != std::string::npos) {
    throw http::notFound("No such member.");
  }
  return std::stoll(raw);
}

}  // namespace ruche::admin
