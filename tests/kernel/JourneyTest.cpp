#include <doctest/doctest.h>

#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

// The id at the end of a Location such as /me/applications/12.
long long trailingId(const std::string& location) {
  auto slash = location.find_last_of('/');
  return std::stoll(location.substr(slash + 1));
}

std::string statusOf(TestServer& server, long long applicationId) {
  std::string status;
  ruche::storage::Database::Session session(server.services().db);
  *session << "SELECT status FROM applications WHERE id = :id", soci::use(applicationId), soci::into(status);
  return status;
}

}  // namespace

TEST_CASE("the whole volunteer journey works over HTTP") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long association = server.createAssociation("jardins", "Les Jardins");
      long long coordinatorId = server.createAccount("coord@example.org", "correct horse battery", "Coordinatrice");
      server.grantRole(coordinatorId, association, "coordinator");
      HttpClient coordinator = server.signedIn("coord@example.org", "correct horse battery");

      // A coordinator publishes a mission through the real form.
      auto created = coordinator.postFormWithCsrf(
          "/a/jardins/manage/missions/new", "/a/jardins/manage/missions/new",
          {{"title", "Arroser les jardins partagés"},
           {"description", "Arroser les parcelles collectives le samedi matin avec l'équipe."},
           {"kind", "regular"},
           {"mode", "onsite"},
           {"place", "Lyon"},
           {"starts_on", "2030-04-01"},
           {"schedule", "samedi 9h-11h"},
           {"duration_minutes", "120"},
           {"places_available", "3"},
           {"required_skills", "handiwork"},
           {"causes", "environment"},
           {"languages", "fr:required"},
           {"publish", "1"}});
      REQUIRE(created.status == 303);

      // A newcomer signs up and verifies the address from the mail.
      HttpClient volunteer = server.client();
      auto signup = volunteer.postFormWithCsrf(
          "/signup", "/signup",
          {{"display_name", "Inès"}, {"email", "ines@example.org"}, {"password", "correct horse battery"}});
      REQUIRE(signup.status == 303);
      auto mail = server.smtp().waitForMessage("ines@example.org", std::chrono::seconds(10));
      REQUIRE(mail);
      REQUIRE(volunteer.get(HttpClient::extractLink(mail->body, "/verify?token=")).status == 200);

      // Profile.
      auto profile = volunteer.postFormWithCsrf("/me/profile", "/me/profile",
                                                {{"display_name", "Inès"},
                                                 {"bio", "Jardinière du dimanche."},
                                                 {"place", "Lyon"},
                                                 {"hours_per_week", "3"},
                                                 {"timezone", "Europe/Paris"},
                                                 {"locale", "fr"},
                                                 {"skills", "handiwork"},
                                                 {"causes", "environment"},
                                                 {"languages_0_code", "fr"},
                                                 {"languages_0_level", "native"},
                                                 {"availability_0_weekday", "5"},
                                                 {"availability_0_start", "09:00"},
                                                 {"availability_0_end", "12:00"}});
      REQUIRE(profile.status == 303);

      // Search finds the mission by skill, cause and place mode.
      auto search = volunteer.get("/missions?skill=handiwork&cause=environment&mode=onsite");
      REQUIRE(search.status == 200);
      auto at = search.body.find("Arroser les jardins partag");
      REQUIRE(at != std::string::npos);
      auto href = search.body.rfind("href=\"/missions/", at);
      REQUIRE(href != std::string::npos);
      std::string missionPath = search.body.substr(href + 6, search.body.find('"', href + 6) - href - 6);
      REQUIRE(volunteer.get(missionPath).status == 200);

      // Apply.
      auto applied = volunteer.postFormWithCsrf(missionPath + "/apply", missionPath + "/apply",
                                                {{"motivation", "J'aime jardiner et je suis libre le samedi."}});
      REQUIRE(applied.status == 303);
      long long applicationId = trailingId(applied.header("location"));
      CHECK(statusOf(server, applicationId) == "applied");
      std::string manage = "/a/jardins/manage/applications/" + std::to_string(applicationId);
      std::string mine = "/me/applications/" + std::to_string(applicationId);

      // Every step: interview (coordinator), charter (volunteer), training and active (coordinator).
      REQUIRE(coordinator.postFormWithCsrf(manage + "/transition", manage, {{"to", "interview_scheduled"}}).status ==
              303);
      CHECK(statusOf(server, applicationId) == "interview_scheduled");
      REQUIRE(volunteer.postFormWithCsrf(mine + "/charter", mine, {{"accept", "1"}}).status == 303);
      CHECK(statusOf(server, applicationId) == "charter_signed");
      REQUIRE(coordinator.postFormWithCsrf(manage + "/transition", manage, {{"to", "training_done"}}).status == 303);
      REQUIRE(coordinator
                  .postFormWithCsrf(manage + "/transition", manage,
                                    {{"to", "active"}, {"referent_account_id", std::to_string(coordinatorId)}})
                  .status == 303);
      CHECK(statusOf(server, applicationId) == "active");

      // Hours logged by the volunteer, validated by the coordinator.
      REQUIRE(volunteer
                  .postFormWithCsrf(mine + "/hours", mine,
                                    {{"day", "2026-11-21"}, {"minutes", "120"}, {"note", "Arrosage"}})
                  .status == 303);
      long long hoursId = 0;
      {
        ruche::storage::Database::Session session(server.services().db);
        *session << "SELECT id FROM hours WHERE application_id = :a", soci::use(applicationId), soci::into(hoursId);
      }
      REQUIRE(hoursId != 0);
      std::string hoursPath = "/a/jardins/manage/hours/" + std::to_string(hoursId) + "/validate";
      REQUIRE(coordinator.postFormWithCsrf(hoursPath, "/a/jardins/manage/hours", {}).status == 303);

      // Completion and feedback both ways.
      REQUIRE(coordinator.postFormWithCsrf(manage + "/transition", manage, {{"to", "completed"}}).status == 303);
      REQUIRE(
          volunteer.postFormWithCsrf(mine + "/feedback", mine, {{"rating", "5"}, {"comment", "Super équipe"}}).status ==
          303);
      REQUIRE(coordinator.postFormWithCsrf(manage + "/feedback", manage, {{"rating", "4"}, {"comment", "Merci !"}})
                  .status == 303);

      ruche::storage::Database::Session session(server.services().db);
      std::string hoursStatus;
      *session << "SELECT status FROM hours WHERE id = :id", soci::use(hoursId), soci::into(hoursStatus);
      CHECK(hoursStatus == "validated");
      // Every step is recorded, in order, with who moved it.
      std::vector<std::string> steps;
      std::string to;
      long long actor = 0;
      std::vector<long long> actors;
      soci::statement st = (session->prepare << "SELECT to_status, actor_account_id FROM application_events "
                                                "WHERE application_id = :a ORDER BY id",
                            soci::use(applicationId), soci::into(to), soci::into(actor));
      st.execute();
      while (st.fetch()) {
        steps.push_back(to);
        actors.push_back(actor);
      }
      CHECK(steps == std::vector<std::string>{"applied", "interview_scheduled", "charter_signed", "training_done",
                                              "active", "completed"});
      REQUIRE(actors.size() == 6);
      CHECK(actors[1] == coordinatorId);
      CHECK(actors[2] != coordinatorId);  // the volunteer signed the charter
      long long feedback = 0;
      *session << "SELECT COUNT(*) FROM feedback WHERE application_id = :a", soci::use(applicationId),
          soci::into(feedback);
      CHECK(feedback == 2);
      CHECK(statusOf(server, applicationId) == "completed");

      // The coordinator's data export includes what they did for the association.
      auto exported = coordinator.get("/me/data");
      REQUIRE(exported.status == 200);
      auto moved = exported.body.find("\"application_steps_moved\"");
      REQUIRE(moved != std::string::npos);
      CHECK(exported.body.find("interview_scheduled", moved) != std::string::npos);
      CHECK(exported.body.find("\"hours_decided\"") != std::string::npos);

      // The volunteer's page shows the finished journey.
      auto page = volunteer.get(mine);
      CHECK(page.status == 200);
      CHECK(page.body.find("Arroser les jardins partag") != std::string::npos);
    }
  }
}
