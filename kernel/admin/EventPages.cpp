#include <ctime>

#include "kernel/admin/AdminPages.h"
#include "kernel/domain/Associations.h"
#include "kernel/events/EventBus.h"
#include "kernel/themes/LocalFormat.h"

// The event bus's dead letters (/admin/events/dead): deliveries that ran out
// of retries, with their last error, filtered by association, each with a
// replay form that puts it back in the queue.
namespace ruche::admin {
namespace {

using themes::Data;

const char* const kBase = "/admin/events/dead";

Data boolean(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

// Milliseconds since the epoch, in the reader's language and time zone.
std::string shownTime(const http::Request& request, long long ms) {
  return themes::formatDateTime(ms / 1000, request.locale, request.timeZone);
}

long long deliveryIdParam(const http::Request& request) {
  std::string raw = request.param("id");
  if (raw.empty() || raw.size() > 18 || raw.find_first_not_of("0123456789") != std::string::npos) {
    throw http::notFound("No such delivery.");
  }
  return std::stoll(raw);
}

// The association a filter names, if it names a known one.
const domain::Association* findBySlug(const std::vector<domain::Association>& all, const std::string& slug) {
  for (const auto& association : all) {
    if (association.slug == slug) {
      return &association;
    }
  }
  return nullptr;
}

void deadLetterPage(app::Services& services, http::Request& request, http::Response& response) {
  auto associations = domain::Associations(services.db).list();
  std::string filter = request.queryValue("association");
  std::vector<http::FieldError> errors;
  const domain::Association* selected = nullptr;
  if (!filter.empty()) {
    selected = findBySlug(associations, filter);
    if (selected == nullptr) {
      errors.push_back({"association", "must be one of the federation's associations", "choice"});
    }
  }

  Data options{Data::type::list};
  for (const auto& association : associations) {
    Data option{Data::type::object};
    option.set("value", association.slug);
    option.set("label", association.name);
    option.set("selected", boolean(selected != nullptr && selected->id == association.id));
    options.push_back(option);
  }

  Data rows{Data::type::list};
  if (errors.empty()) {
    for (const auto& letter : services.events.deadLetters(selected != nullptr ? selected->id : 0)) {
      Data row{Data::type::object};
      row.set("id", std::to_string(letter.deliveryId));
      row.set("event_id", std::to_string(letter.event.id));
      row.set("topic", letter.event.topic);
      std::string where = services.pages.text(request, "events.dead.federation_wide");
      for (const auto& association : associations) {
        if (association.id == letter.event.associationId) {
          where = association.name;
        }
      }
      row.set("association", where);
      row.set("subscriber", letter.subscriber);
      row.set("attempts", std::to_string(letter.attempts));
      row.set("last_error", letter.lastError);
      row.set("died_at", shownTime(request, letter.diedAt));
      row.set("payload", letter.event.payload);
      rows.push_back(row);
    }
  }

  Data data{Data::type::object};
  data.set("base", kBase);
  data.set("associations", options);
  data.set("filter", selected != nullptr ? selected->slug : "");
  data.set("has_letters", boolean(!rows.is_empty_list()));
  data.set("letters", rows);
  data.set("replayed", boolean(request.queryValue("replayed") == "1"));
  data.set("errors",
           themes::PageRenderer::fieldErrors(services.pages.localised(request, errors, "events.validation.")));
  services.pages.page(request, response, "admin_events", data, "events.dead.title", errors.empty() ? 200 : 422);
}

}  // namespace

void registerEventPages(http::Router& router, app::Services& services) {
  const auto& guards = services.guards;
  router.get(kBase, guards.federationAdmin(), [&services](http::Request& request, http::Response& response) {
    deadLetterPage(services, request, response);
  });
  router.post(std::string(kBase) + "/{id}/replay", guards.federationAdmin(),
              [&services](http::Request& request, http::Response& response) {
                if (!services.events.replay(deliveryIdParam(request))) {
                  throw http::notFound("No dead delivery with this number.");
                }
                // Back to the list the admin came from, if it was filtered.
                std::string back = std::string(kBase) + "?replayed=1";
                std::string filter = request.formValue("association");
                if (!filter.empty() && findBySlug(domain::Associations(services.db).list(), filter) != nullptr) {
                  back += "&association=" + filter;
                }
                response.redirect(back);
              });
}

}  // namespace ruche::admin
