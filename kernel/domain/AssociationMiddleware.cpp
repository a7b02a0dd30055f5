#include "kernel/domain/AssociationMiddleware.h"

#include "kernel/http/HttpError.h"
#include "kernel/storage/ReadCache.h"

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
  // Read on every page of an association: kept a moment (ReadCache.h).
  static storage::ReadCache<std::string, http::AssociationRef> cache;
  if (auto known = cache.find(slug)) {
    request.association = *known;
    return;
  }
  long long generation = storage::readCacheGeneration().load();
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
  cache.put(slug, ref, generation);
  request.association = ref;
}

}  // namespace ruche::domain
