#include <algorithm>

#include "kernel/auth/Roles.h"
#include "kernel/http/HttpError.h"
#include "kernel/themes/Branding.h"
#include "kernel/web/Registrations.h"

// The theme engine's routes: hashed theme assets, an association's branding
// stylesheet and logo, and the association admin's branding page
// (/a/{slug}/manage/branding: colours, logo, theme).
namespace ruche::web {
namespace {

using themes::Data;

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

Data flag(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

/// The branding form, with the stored or submitted values and the errors.
void brandingPage(app::Services& services, http::Request& request, http::Response& response,
                  const themes::Branding& shown, const std::vector<http::FieldError>& errors, bool saved) {
  Data data{Data::type::object};
  const std::string slug = request.association->slug;
  data.set("slug", slug);
  data.set("association_name", request.association->name);
  Data values{Data::type::object};
  values.set("primary_color", shown.primary);
  values.set("accent_color", shown.accent);
  data.set("values", values);
  Data choices{Data::type::list};
  for (const auto& manifest : services.templates.themes()->manifests()) {
    Data item{Data::type::object};
    item.set("name", manifest.name);
    std::string key = "themes.name." + manifest.name;
    std::string label = services.pages.text(request, key);
    item.set("label", label == key ? manifest.title : label);
    std::string helpKey = "themes.help." + manifest.name;
    std::string help = services.pages.text(request, helpKey);
    if (help != helpKey) {
      item.set("help", help);
    }
    item.set("checked", flag(manifest.name == shown.theme));
    choices.push_back(item);
  }
  data.set("themes", choices);
  themes::Branding stored = themes::BrandingStore(services.db).get(request.association->id);
  if (!stored.logoType.empty()) {
    data.set("logo_url",
             "/a/" + slug + "/branding/logo." + stored.logoHash + "." + themes::imageExtension(stored.logoType));
  }
  data.set("saved", flag(saved));
  data.set("errors", themes::PageRenderer::fieldErrors(errors));
  services.pages.page(request, response, "manage_branding", data, "branding.title", errors.empty() ? 200 : 422);
}

}  // namespace

void registerThemePages(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;

  router.get("/assets/{theme}/{file}", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    auto set = services.templates.themes();
    std::string theme = request.param("theme");
    const themes::ThemeAsset* asset = set->has(theme) ? set->hashedAsset(theme, request.param("file")) : nullptr;
    if (asset == nullptr) {
      throw http::notFound("No such asset (or an older version of it).");
    }
    response.status = 200;
    response.contentType = asset->contentType;
    response.body = asset->content;
    // The URL changes with the content: browsers may keep it for a year.
    response.headers["Cache-Control"] = kImmutable;
  });

  router.get("/a/{slug}/branding/{file}", guards.anyone(),
             [&services](http::Request& request, http::Response& response) {
               if (!request.association) {
                 throw http::notFound();
               }
               std::string file = request.param("file");
               themes::BrandingStore store(services.db);
               if (file.rfind("style.", 0) == 0) {
                 std::string css = themes::brandingStylesheet(store.get(request.association->id));
                 if (css.empty() || file != "style." + themes::contentHash(css) + ".css") {
                   throw http::notFound("No such stylesheet (or an older version of it).");
                 }
                 response.status = 200;
                 response.contentType = "text/css; charset=utf-8";
                 response.body = css;
               } else {
                 auto logo = store.logo(request.association->id);
                 if (!logo || file != "logo." + logo->hash + "." + themes::imageExtension(logo->type)) {
                   throw http::notFound("No such logo (or an older version of it).");
                 }
                 response.status = 200;
                 response.contentType = logo->type;
                 response.body = logo->bytes;
               }
               response.headers["Cache-Control"] = kImmutable;
             });

  router.get("/a/{slug}/manage/branding", guards.association(auth::Role::Admin),
             [&services](http::Request& request, http::Response& response) {
               brandingPage(services, request, response,
                            themes::BrandingStore(services.db).get(request.association->id), {},
                            request.queryValue("saved") == "1");
             });

  router.post("/a/{slug}/manage/branding", guards.association(auth::Role::Admin),
              [&services](http::Request& request, http::Response& response) {
                std::vector<std::string> names;
                for (const auto& manifest : services.templates.themes()->manifests()) {
                  names.push_back(manifest.name);
                }
                const http::UploadedFile* upload = request.file("logo");
                themes::BrandingCheck check = themes::checkBranding(
                    request.formValue("theme"), request.formValue("primary_color"), request.formValue("accent_color"),
                    upload != nullptr ? &upload->content : nullptr, request.formValue("remove_logo") == "1", names);
                if (!check.errors.empty()) {
                  // Localised messages; the contrast ones say the ratio found.
                  std::vector<http::FieldError> errors =
                      services.pages.localised(request, check.errors, "branding.validation.");
                  for (auto& error : errors) {
                    std::string ratio = error.field == "primary_color" ? check.primaryRatio : check.accentRatio;
                    if (request.locale == "fr") {
                      std::replace(ratio.begin(), ratio.end(), '.', ',');  // 4,47 in French
                    }
                    error.message = replaceAll(error.message, "{ratio}", ratio);
                  }
                  themes::Branding shown;
                  shown.theme = request.formValue("theme");
                  shown.primary = request.formValue("primary_color");
                  shown.accent = request.formValue("accent_color");
                  brandingPage(services, request, response, shown, errors, false);
                  return;
                }
                long long associationId = request.association->id;
                services.db.transaction([&](soci::session& sql) {
                  themes::BrandingStore(services.db).save(sql, associationId, check.change, storage::nowSeconds());
                });
                response.redirect("/a/" + request.association->slug + "/manage/branding?saved=1");
              });
}

}  // namespace ruche::web
