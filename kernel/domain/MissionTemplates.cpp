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

long long MissionTemplates::create(const MissionTemplateInput& input) {
  http::Validator v;
  std::string title = v.text("title", input.title, 3, 120);
  std::string description = v.text("description", input.description, 10, 5000);
  std::string kind = v.oneOf("kind", input.kind, {"micro", "regular", "event"});
  std::string mode = v.oneOf("mode", input.mode, {"remote", "onsite", "hybrid"});
  int duration = static_cast<int>(v.integer("duration_minutes", input.durationMinutes, 0, 10000, false).value_or(0));
  v.check();
  long long id = 0;
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    sql << "INSERT INTO mission_templates (title, description, kind, mode, duration_minutes, created_at) "
           "VALUES (:t, :d, :k, :m, :dur, :c) RETURNING id",
        soci::use(title), soci::use(description), soci::use(kind), soci::use(mode), soci::use(duration),
        soci::use(now), soci::into(id);
  });
  return id;
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
