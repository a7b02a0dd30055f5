#include "kernel/domain/AssociationMiddleware.h"

#include "kernel/http/HttpError.h"

namespace ruche::domain {
namespace {

std::string slugAfter(const std::string& path, const std::string& prefix) {
  if (path.rfind(prefix, 0) != 0) {
    return "";
  }
  auto end = path.find('/', prefix.size());
  return path.substr(prefix.size(), end == std::string::npos ? std::string::npos : end - prefix.size());
}

}  // namespace

void AssociationMiddleware::before(http::Request& request, http::Response&) {
  std::string slug = slugAfter(request.path, "/a/");
  if (slug.empty()) {
    slug = slugAfter(request.path, "/api/v1/associations/");
  }
  if (slug.empty()) {
    return;
  }
  storage::Database::Session session(db_);
  http::AssociationRef ref;
  // The language and zone come along: the preferences middleware needs them
  // on every page of the association, and one round trip is cheaper than two.
  *session << "SELECT id, slug, name, default_locale, timezone FROM associations WHERE slug = :s", soci::use(slug),
      soci::into(ref.id), soci::into(ref.slug), soci::into(ref.name), soci::into(ref.defaultLocale),
      soci::into(ref.timeZone);
  if (!session->got_data()) {
    throw http::notFound("No association named \"" + slug + "\".");
  }
  request.association = ref;
}

}  // namespace ruche::domain
