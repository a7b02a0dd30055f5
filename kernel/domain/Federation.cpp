#include "kernel/domain/Federation.h"

#include "kernel/http/Validator.h"

namespace ruche::domain {

FederationInfo Federation::get() {
  storage::Database::Session session(db_);
  FederationInfo info;
  *session << "SELECT name, description FROM federation WHERE id = 1", soci::into(info.name),
      soci::into(info.description);
  if (!session->got_data()) {
    return {"Ruche", ""};
  }
  return info;
}

bool Federation::exists() {
  storage::Database::Session session(db_);
  long long count = 0;
  *session << "SELECT COUNT(*) FROM federation WHERE id = 1", soci::into(count);
  return count > 0;
}

void Federation::set(const FederationInfo& input) {
  http::Validator v;
  std::string name = v.text("name", input.name, 2, 120);
  std::string description = v.optionalText("description", input.description, 5000);
  v.check();
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    sql << "INSERT INTO federation (id, name, description, created_at) VALUES (1, :n, :d, :t) "
           "ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description",
        soci::use(name), soci::use(description), soci::use(now);
  });
}

}  // namespace ruche::domain
