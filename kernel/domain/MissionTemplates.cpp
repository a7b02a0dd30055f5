#include "kernel/domain/MissionTemplates.h"

#include "kernel/http/Validator.h"

namespace ruche::domain {

std::vector<MissionTemplate> MissionTemplates::list() {
  std::vector<MissionTemplate> out;
  MissionTemplate row;
  storage::Database::Session session(db_);
  soci::statement st = (session->prepare << "SELECT id, title, description, kind, mode, duration_minutes, created_at "
                                            "FROM mission_templates ORDER BY title, id",
                        soci::into(row.id), soci::into(row.title), soci::into(row.description), soci::into(row.kind),
                        soci::into(row.mode), soci::into(row.durationMinutes), soci::into(row.createdAt));
  st.execute();
  while (st.fetch()) {
    out.push_back(row);
  }
  return out;
}

std::optional<MissionTemplate> MissionTemplates::byId(long long id) {
  MissionTemplate row;
  storage::Database::Session session(db_);
  *session << "SELECT id, title, description, kind, mode, duration_minutes, created_at FROM mission_templates "
              "WHERE id = :id",
      soci::use(id), soci::into(row.id), soci::into(row.title), soci::into(row.description), soci::into(row.kind),
      soci::into(row.mode), soci::into(row.durationMinutes), soci::into(row.createdAt);
  if (!session->got_data()) {
    return std::nullopt;
  }
  return row;
}

namespace {

/// The input's fields, validated; throws 422 naming every bad field.
struct ValidTemplate {
  std::string title;
  std::string description;
  std::string kind;
  std::string mode;
  int durationMinutes = 0;
};

ValidTemplate validate(const MissionTemplateInput& input) {
  http::Validator v;
  ValidTemplate out;
  out.title = v.text("title", input.title, 3, 120);
  out.description = v.text("description", input.description, 10, 5000);
  out.kind = v.oneOf("kind", input.kind, {"micro", "regular", "event"});
  out.mode = v.oneOf("mode", input.mode, {"remote", "onsite", "hybrid"});
  out.durationMinutes =
      static_cast<int>(v.integer("duration_minutes", input.durationMinutes, 0, 10000, false).value_or(0));
  v.check();
  return out;
}

bool exists(soci::session& sql, long long id) {
  long long found = 0;
  sql << "SELECT id FROM mission_templates WHERE id = :id", soci::use(id), soci::into(found);
  return sql.got_data();
}

}  // namespace

long long MissionTemplates::create(const MissionTemplateInput& input) {
  ValidTemplate t = validate(input);
  long long id = 0;
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    sql << "INSERT INTO mission_templates (title, description, kind, mode, duration_minutes, created_at) "
           "VALUES (:t, :d, :k, :m, :dur, :c) RETURNING id",
        soci::use(t.title), soci::use(t.description), soci::use(t.kind), soci::use(t.mode),
        soci::use(t.durationMinutes), soci::use(now), soci::into(id);
  });
  return id;
}

bool MissionTemplates::update(long long id, const MissionTemplateInput& input) {
  ValidTemplate t = validate(input);
  bool found = false;
  db_.transaction([&](soci::session& sql) {
    found = exists(sql, id);
    if (!found) {
      return;
    }
    sql << "UPDATE mission_templates SET title = :t, description = :d, kind = :k, mode = :m, "
           "duration_minutes = :dur WHERE id = :id",
        soci::use(t.title), soci::use(t.description), soci::use(t.kind), soci::use(t.mode),
        soci::use(t.durationMinutes), soci::use(id);
  });
  return found;
}

bool MissionTemplates::remove(long long id) {
  bool found = false;
  db_.transaction([&](soci::session& sql) {
    found = exists(sql, id);
    if (found) {
      sql << "DELETE FROM mission_templates WHERE id = :id", soci::use(id);
    }
  });
  return found;
}

MissionInput MissionTemplates::instantiate(const MissionTemplate& missionTemplate) {
  MissionInput input;
  input.title = missionTemplate.title;
  input.description = missionTemplate.description;
  input.kind = missionTemplate.kind;
  input.mode = missionTemplate.mode;
  input.durationMinutes = missionTemplate.durationMinutes == 0 ? "" : std::to_string(missionTemplate.durationMinutes);
  input.placesAvailable = std::to_string(1);
  return input;
}

}  // namespace ruche::domain
