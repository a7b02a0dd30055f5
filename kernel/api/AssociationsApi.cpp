#include "kernel/api/ApiResources.h"
#include "kernel/api/JsonHelpers.h"
#include "kernel/api/Pagination.h"
#include "kernel/domain/Associations.h"
#include "kernel/jobs/Responsiveness.h"

// GET /api/v1/associations and /api/v1/associations/{slug}: the public face of
// each association, as its page /a/{slug} shows it.
namespace ruche::api {
namespace {

Poco::JSON::Object::Ptr associationJson(const domain::Association& a) {
  Poco::JSON::Object::Ptr o = newObject();
  o->set("id", a.id);
  o->set("slug", a.slug);
  o->set("name", a.name);
  o->set("description", a.description);
  o->set("logo_url", textOrNull(a.logoUrl));
  o->set("place", textOrNull(a.place));
  o->set("contact_email", textOrNull(a.contactEmail));
  o->set("contact_phone", textOrNull(a.contactPhone));
  o->set("charter", textOrNull(a.charter));
  o->set("created_at", isoTime(a.createdAt));
  return o;
}

}  // namespace

void registerAssociationsApi(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;

  router.get("/api/v1/associations", guards.anyone(), [&services](http::Request& request, http::Response& response) {
    PageRequest page = readPage(request);
    // A federation has tens of associations, not thousands: slice in memory.
    std::vector<domain::Association> all = domain::Associations(services.db).list();
    Poco::JSON::Array::Ptr items = newArray();
    for (long long i = page.offset(); i < static_cast<long long>(all.size()) && i < page.offset() + page.perPage; ++i) {
      items->add(associationJson(all[static_cast<std::size_t>(i)]));
    }
    writePage(response, request, services.settings.baseUrl, items, page, static_cast<long long>(all.size()));
  });

  router.get("/api/v1/associations/{slug}", guards.anyone(),
             [&services](http::Request& request, http::Response& response) {
               auto association = domain::Associations(services.db).bySlug(request.param("slug"));
               if (!association) {
                 throw http::notFound("No association named \"" + request.param("slug") + "\".");
               }
               Poco::JSON::Object::Ptr json = associationJson(*association);
               auto hours = jobs::responsivenessHours(services.db, association->id);
               json->set("responsiveness_hours", hours ? Poco::Dynamic::Var(*hours) : Poco::Dynamic::Var());
               writeJson(response, json);
             });
}

}  // namespace ruche::api
