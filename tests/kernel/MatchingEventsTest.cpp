// The kernel events the matching index needs (issue 6): an edited or closed
// mission, a saved profile, a granted or revoked role, given feedback. Each
// is written to the outbox in the transaction of the change, and only when
// the change commits. Both backends.
#include <doctest/doctest.h>

#include <string>

#include "kernel/domain/Associations.h"
#include "kernel/domain/Feedback.h"
#include "kernel/domain/Missions.h"
#include "kernel/http/HttpError.h"
#include "kernel/storage/Database.h"
#include "tests/kernel/TestServer.h"

using namespace ruche;
using ruche::testing::allBackends;
using ruche::testing::backendName;
using ruche::testing::HttpClient;
using ruche::testing::TestServer;

namespace {

const char* const kPassword = "correct horse battery";

/// One outbox event of a topic: how many there are, and the last one's
/// association and payload.
struct Published {
  long long count = 0;
  long long associationId = -1;
  std::string payload;
};

Published published(TestServer& server, const std::string& topic) {
  Published result;
  storage::Database::Session session(server.services().db);
  *session << "SELECT COUNT(*) FROM event_outbox WHERE topic = :t", soci::use(topic), soci::into(result.count);
  if (result.count > 0) {
    *session << "SELECT association_id, payload FROM event_outbox WHERE topic = :t ORDER BY id DESC LIMIT 1",
        soci::use(topic), soci::into(result.associationId), soci::into(result.payload);
  }
  return result;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

domain::MissionInput mission(const std::string& title) {
  domain::MissionInput input;
  input.title = title;
  input.description = "Trier les dons du samedi.";
  input.kind = "regular";
  input.mode = "onsite";
  input.place = "Lyon";
  input.placesAvailable = "2";
  return input;
}

}  // namespace

TEST_CASE("editing and closing a mission publish mission.updated and mission.closed with its id") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long association = server.createAssociation("tri", "Tri solidaire");
      domain::Missions missions(server.services().db, &server.services().events);
      long long id = missions.create(association, 0, mission("Trier"), true);
      CHECK(published(server, "mission.updated").count == 0);

      missions.update(id, mission("Trier les dons"));
      auto updated = published(server, "mission.updated");
      CHECK(updated.count == 1);
      CHECK(updated.associationId == association);
      CHECK(contains(updated.payload, "\"mission_id\":" + std::to_string(id)));

      // A refused edit (422) writes nothing, event included.
      auto invalid = mission("");
      CHECK_THROWS_AS(missions.update(id, invalid), http::HttpError);
      CHECK(published(server, "mission.updated").count == 1);

      missions.setStatus(id, "closed");
      auto closed = published(server, "mission.closed");
      CHECK(closed.count == 1);
      CHECK(closed.associationId == association);
      CHECK(contains(closed.payload, "\"mission_id\":" + std::to_string(id)));
    }
  }
}

TEST_CASE("saving one's profile publishes profile.updated federation-wide with the account id") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long me = server.createAccount("awa@example.org", kPassword, "Awa");
      auto http = server.signedIn("awa@example.org", kPassword);
      HttpClient::FormFields form = {
          {"display_name", "Awa Diallo"}, {"timezone", "Europe/Paris"}, {"locale", "fr"},
          {"hours_per_week", "3"},        {"skills", "writing"},        {"languages_0_code", "en"},
          {"languages_0_level", "fluent"}};
      REQUIRE(http.postFormWithCsrf("/me/profile", "/me/profile", form).status == 303);
      auto event = published(server, "profile.updated");
      CHECK(event.count == 1);
      CHECK(event.associationId == 0);
      CHECK(contains(event.payload, "\"account_id\":" + std::to_string(me)));

      // A refused form publishes nothing.
      for (auto& field : form) {
        if (field.first == "hours_per_week") {
          field.second = "9999";
        }
      }
      CHECK(http.postFormWithCsrf("/me/profile", "/me/profile", form).status == 422);
      CHECK(published(server, "profile.updated").count == 1);
    }
  }
}

TEST_CASE("granting and revoking a role publish membership.changed in the association") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long association = server.createAssociation("tri", "Tri solidaire");
      long long person = server.createAccount("leo@example.org", kPassword, "Léo");
      domain::Associations associations(server.services().db, &server.services().events);
      associations.grantRole(association, person, "volunteer");
      auto granted = published(server, "membership.changed");
      CHECK(granted.count == 1);
      CHECK(granted.associationId == association);
      CHECK(contains(granted.payload, "\"account_id\":" + std::to_string(person)));
      CHECK(contains(granted.payload, "\"role\":\"volunteer\""));

      associations.revokeRole(association, person);
      auto revoked = published(server, "membership.changed");
      CHECK(revoked.count == 2);
      CHECK(contains(revoked.payload, "\"role\":\"\""));
    }
  }
}

TEST_CASE("feedback on a completed application publishes feedback.given with the volunteer and the mission") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long association = server.createAssociation("tri", "Tri solidaire");
      long long volunteer = server.createAccount("leo@example.org", kPassword, "Léo");
      long long coordinator = server.createAccount("coord@example.org", kPassword, "Camille");
      long long missionId = domain::Missions(server.services().db).create(association, 0, mission("Trier"), true);
      long long applicationId = 0;
      std::string status = "active";
      server.services().db.transaction([&](soci::session& sql) {
        sql << "INSERT INTO applications (mission_id, account_id, status, created_at, updated_at) "
               "VALUES (:m, :a, :s, 1, 1) RETURNING id",
            soci::use(missionId), soci::use(volunteer), soci::use(status), soci::into(applicationId);
      });
      domain::Feedback feedback(server.services().db, &server.services().events);
      // Not completed yet: refused, nothing published.
      CHECK_THROWS_AS(feedback.give(applicationId, "from_association", coordinator, "4", ""), http::HttpError);
      CHECK(published(server, "feedback.given").count == 0);

      server.services().db.transaction([&](soci::session& sql) {
        sql << "UPDATE applications SET status = 'completed' WHERE id = :i", soci::use(applicationId);
      });
      feedback.give(applicationId, "from_association", coordinator, "4", "Merci !");
      auto given = published(server, "feedback.given");
      CHECK(given.count == 1);
      CHECK(given.associationId == association);
      CHECK(contains(given.payload, "\"account_id\":" + std::to_string(volunteer)));
      CHECK(contains(given.payload, "\"mission_id\":" + std::to_string(missionId)));
      CHECK(contains(given.payload, "\"rating\":4"));
      CHECK(contains(given.payload, "\"direction\":\"from_association\""));
    }
  }
}
