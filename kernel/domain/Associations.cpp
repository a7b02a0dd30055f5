#include "kernel/domain/Associations.h"

#include "kernel/auth/Roles.h"
#include "kernel/events/Payload.h"
#include "kernel/http/HttpError.h"
#include "kernel/http/Validator.h"
#include "kernel/storage/ReadCache.h"

namespace ruche::domain {
namespace {

// Validates every field at once; the slug's uniqueness is checked apart (it
// needs the database).
AssociationInput validated(const AssociationInput& input) {
  http::Validator v;
  AssociationInput out;
  out.name = v.text("name", input.name, 2, 120);
  out.slug = v.slug("slug", input.slug);
  out.description = v.optionalText("description", input.description, 5000);
  out.logoUrl = v.optionalText("logo_url", input.logoUrl, 300);
  if (!out.logoUrl.empty() && out.logoUrl.rfind("https://", 0) != 0 && out.logoUrl.rfind("http://", 0) != 0) {
    v.add("logo_url", "url", "must start with https:// or http://");
  }
  if (out.logoUrl.find_first_of(" \t\"'<>") != std::string::npos) {
    v.add("logo_url", "url", "must be a web address without spaces or quotes");
  }
  std::string email = input.contactEmail;
  if (email.find_first_not_of(" \t") != std::string::npos) {
    out.contactEmail = v.email("contact_email", email);
  }
  out.contactPhone = v.optionalText("contact_phone", input.contactPhone, 30);
  out.place = v.optionalText("place", input.place, 120);
  out.charter = v.optionalText("charter", input.charter, 20000);
  v.check();
  return out;
}

void requireFreeSlug(soci::session& sql, const std::string& slug, long long exceptId) {
  long long other = 0;
  sql << "SELECT id FROM associations WHERE slug = :s", soci::use(slug), soci::into(other);
  if (sql.got_data() && other != exceptId) {
    throw http::unprocessable({{"slug", "is already used by another association", "slug_taken"}});
  }
}

const char* const kColumns =
    "SELECT id, slug, name, description, logo_url, contact_email, contact_phone, place, charter, created_at "
    "FROM associations ";

// Adds the selected columns of one row to a statement being prepared.
soci::details::prepare_temp_type intoRow(soci::details::prepare_temp_type prep, Association& a) {
  prep, soci::into(a.id), soci::into(a.slug), soci::into(a.name), soci::into(a.description), soci::into(a.logoUrl),
      soci::into(a.contactEmail), soci::into(a.contactPhone), soci::into(a.place), soci::into(a.charter),
      soci::into(a.createdAt);
  return prep;
}

}  // namespace

long long Associations::create(const AssociationInput& input) {
  AssociationInput a = validated(input);
  long long id = 0;
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    requireFreeSlug(sql, a.slug, 0);
    sql << "INSERT INTO associations (slug, name, description, logo_url, contact_email, contact_phone, place, "
           "charter, created_at) VALUES (:slug, :name, :d, :l, :e, :p, :pl, :c, :t) RETURNING id",
        soci::use(a.slug), soci::use(a.name), soci::use(a.description), soci::use(a.logoUrl), soci::use(a.contactEmail),
        soci::use(a.contactPhone), soci::use(a.place), soci::use(a.charter), soci::use(now), soci::into(id);
  });
  return id;
}

void Associations::update(long long id, const AssociationInput& input) {
  AssociationInput a = validated(input);
  db_.transaction([&](soci::session& sql) {
    long long found = 0;
    sql << "SELECT id FROM associations WHERE id = :id", soci::use(id), soci::into(found);
    if (!sql.got_data()) {
      throw http::notFound("No such association.");
    }
    requireFreeSlug(sql, a.slug, id);
    sql << "UPDATE associations SET slug = :slug, name = :name, description = :d, logo_url = :l, "
           "contact_email = :e, contact_phone = :p, place = :pl, charter = :c WHERE id = :id",
        soci::use(a.slug), soci::use(a.name), soci::use(a.description), soci::use(a.logoUrl), soci::use(a.contactEmail),
        soci::use(a.contactPhone), soci::use(a.place), soci::use(a.charter), soci::use(id);
  });
  storage::invalidateReadCaches();
}

std::optional<Association> Associations::bySlug(const std::string& slug) {
  storage::Database::Session session(db_);
  Association a;
  soci::statement st = intoRow((session->prepare << std::string(kColumns) + "WHERE slug = :s", soci::use(slug)), a);
  st.execute(true);
  if (!session->got_data()) {
    return std::nullopt;
  }
  return a;
}

std::optional<Association> Associations::byId(long long id) {
  storage::Database::Session session(db_);
  Association a;
  soci::statement st = intoRow((session->prepare << std::string(kColumns) + "WHERE id = :id", soci::use(id)), a);
  st.execute(true);
  if (!session->got_data()) {
    return std::nullopt;
  }
  return a;
}

std::vector<Association> Associations::list() {
  storage::Database::Session session(db_);
  std::vector<Association> out;
  Association a;
  soci::statement st = intoRow(session->prepare << std::string(kColumns) + "ORDER BY LOWER(name), id", a);
  st.execute();
  while (st.fetch()) {
    out.push_back(a);
  }
  return out;
}

void Associations::grantRole(long long associationId, long long accountId, const std::string& role) {
  if (!auth::parseRole(role)) {
    throw http::unprocessable({{"role", "must be one of: admin, coordinator, volunteer", "choice"}});
  }
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    long long found = 0;
    sql << "SELECT id FROM associations WHERE id = :id", soci::use(associationId), soci::into(found);
    if (!sql.got_data()) {
      throw http::notFound("No such association.");
    }
    sql << "SELECT id FROM accounts WHERE id = :id AND deleted_at IS NULL", soci::use(accountId), soci::into(found);
    if (!sql.got_data()) {
      throw http::unprocessable({{"email", "belongs to no account", "unknown_account"}});
    }
    sql << "INSERT INTO memberships (account_id, association_id, role, created_at) VALUES (:a, :s, :r, :t) "
           "ON CONFLICT (account_id, association_id) DO UPDATE SET role = excluded.role",
        soci::use(accountId), soci::use(associationId), soci::use(role), soci::use(now);
    if (events_ != nullptr) {
      events_->publish(sql, "membership.changed", associationId,
                       events::Payload().set("account_id", accountId).set("role", role).json());
    }
  });
}

void Associations::revokeRole(long long associationId, long long accountId) {
  db_.transaction([&](soci::session& sql) {
    sql << "DELETE FROM memberships WHERE association_id = :s AND account_id = :a", soci::use(associationId),
        soci::use(accountId);
    if (events_ != nullptr) {
      events_->publish(sql, "membership.changed", associationId,
                       events::Payload().set("account_id", accountId).set("role", std::string()).json());
    }
  });
}

std::vector<Member> Associations::members(long long associationId) {
  storage::Database::Session session(db_);
  std::vector<Member> out;
  Member m;
  soci::indicator emailInd = soci::i_null;
  soci::statement st =
      (session->prepare << "SELECT a.id, a.display_name, a.email, m.role FROM memberships m "
                           "JOIN accounts a ON a.id = m.account_id "
                           "WHERE m.association_id = :s AND a.deleted_at IS NULL "
                           "ORDER BY CASE m.role WHEN 'admin' THEN 0 WHEN 'coordinator' THEN 1 ELSE 2 END, "
                           "LOWER(a.display_name), a.id",
       soci::use(associationId), soci::into(m.accountId), soci::into(m.displayName), soci::into(m.email, emailInd),
       soci::into(m.role));
  st.execute();
  while (st.fetch()) {
    if (emailInd != soci::i_ok) {
      m.email.clear();
    }
    out.push_back(m);
  }
  return out;
}

}  // namespace ruche::domain
