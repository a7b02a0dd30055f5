// The petitions plugin: which route does what, and who may call it.
// Coordinators write petitions under /manage; the public reads them,
// signs without an account and confirms by e-mail (double opt-in).
#include <ruche/sdk/Sdk.h>

#include "Data.h"
#include "Handlers.h"
#include "PageExtras.h"

namespace {

using ruche::sdk::Access;
using ruche::sdk::Handler;
using ruche::sdk::MenuEntry;
using ruche::sdk::Registrar;
using ruche::sdk::Route;
using ruche::sdk::Scope;

class PetitionsPlugin : public ruche::sdk::Plugin {
 public:
  void setUp(Registrar& registrar) override {
    // A server (re)loading the plugin may hold another database than the
    // copies kept in memory came from (the library stays loaded).
    petitions::forgetCachedPetitions();
    auto page = [&](const char* method, const char* path, Access access, Handler handler) {
      registrar.route(Route{.scope = Scope::AssociationPage,
                            .method = method,
                            .path = path,
                            .access = access,
                            .handler = std::move(handler)});
    };
    page("GET", "/manage", Access::Coordinator, petitions::manageList);
    page("GET", "/manage/new", Access::Coordinator, petitions::newForm);
    page("POST", "/manage/new", Access::Coordinator, petitions::create);
    page("GET", "/manage/{id}", Access::Coordinator, petitions::editForm);
    page("POST", "/manage/{id}", Access::Coordinator, petitions::update);
    page("GET", "/manage/{id}/signatures.csv", Access::Coordinator, petitions::exportCsv);
    page("GET", "/{id}", Access::Public, petitions::show);
    page("POST", "/{id}/sign", Access::Public, petitions::sign);
    page("GET", "/confirm/{token}", Access::Public, petitions::confirmPage);
    page("POST", "/confirm/{token}", Access::Public, petitions::confirm);
    // The public page's additions (PageExtras.cpp)
    page("GET", "/manage/{id}/image", Access::Coordinator, petitions::manageImage);
    page("POST", "/manage/{id}/image", Access::Coordinator, petitions::uploadImage);
    page("POST", "/manage/{id}/image/delete", Access::Coordinator, petitions::deleteImage);
    page("POST", "/manage/{id}/deliver", Access::Coordinator, petitions::deliver);
    page("GET", "/{id}/image", Access::Public, petitions::image);
    page("GET", "/{id}/qr.svg", Access::Public, petitions::qrCode);
    page("GET", "/pow.js", Access::Public, petitions::powScript);
    // The form other sites may frame: no CSRF cookie there, a signed form token instead.
    auto embeddable = [&](const char* method, Handler handler) {
      registrar.embeddableRoute(Route{.scope = Scope::AssociationPage,
                                      .method = method,
                                      .path = "/{id}/embed",
                                      .access = Access::Public,
                                      .handler = std::move(handler)});
    };
    embeddable("GET", petitions::embedForm);
    embeddable("POST", petitions::embedSign);
    petitions::registerData(registrar);
    registrar.menu(MenuEntry{.where = MenuEntry::Where::Association,
                             .labelKey = "petitions.menu",
                             .path = "/manage",
                             .access = Access::Coordinator});
  }
};

}  // namespace

RUCHE_PLUGIN(PetitionsPlugin)
