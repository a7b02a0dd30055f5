#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "kernel/storage/Database.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

const char* const kPassword = "correct horse battery";

// Missions belong to another engineer's module: tests insert them with SQL.
long long insertMission(TestServer& server, long long associationId, const std::string& title,
                        const std::string& status = "published") {
  long long id = 0;
  long long now = ruche::storage::nowSeconds();
  server.services().db.transaction([&](soci::session& sql) {
    sql << "INSERT INTO missions (association_id, title, description, kind, mode, status, created_at, updated_at) "
           "VALUES (:a, :t, 'Une mission', 'regular', 'remote', :s, :c, :u) RETURNING id",
        soci::use(associationId), soci::use(title), soci::use(status), soci::use(now), soci::use(now), soci::into(id);
  });
  return id;
}

std::string applicationStatus(TestServer& server, long long applicationId) {
  ruche::storage::Database::Session session(server.services().db);
  std::string status;
  *session << "SELECT status FROM applications WHERE id = :i", soci::use(applicationId), soci::into(status);
  return status;
}

long long count(TestServer& server, const std::string& sql, long long id) {
  ruche::storage::Database::Session session(server.services().db);
  long long n = 0;
  *session << sql, soci::use(id), soci::into(n);
  return n;
}

using Path = std::vector<std::pair<std::string, std::string>>;

Path eventsOf(TestServer& server, long long applicationId) {
  ruche::storage::Database::Session session(server.services().db);
  Path path;
  std::string from;
  std::string to;
  soci::statement st = (session->prepare << "SELECT from_status, to_status FROM application_events "
                                            "WHERE application_id = :i ORDER BY id",
                        soci::use(applicationId), soci::into(from), soci::into(to));
  st.execute();
  while (st.fetch()) {
    path.emplace_back(from, to);
  }
  return path;
}

// "/me/applications/12?done=applied" → 12
long long idFromLocation(const std::string& location) {
  std::string prefix = "/me/applications/";
  auto at = location.find(prefix);
  REQUIRE(at != std::string::npos);
  return std::stoll(location.substr(at + prefix.size()));
}

// One association with a coordinator and a plain volunteer member, another
// association with its own coordinator, a volunteer with no membership, a
// published mission of the first association.
struct World {
  explicit World(TestServer& s) : server(s) {
    associationId = server.createAssociation("abeilles", "Les Abeilles");
    otherAssociationId = server.createAssociation("frelons", "Les Frelons");
    coordinatorId = server.createAccount("coord@example.org", kPassword, "Camille Coordinatrice");
    memberId = server.createAccount("membre@example.org", kPassword, "Maxime Membre");
    outsiderId = server.createAccount("autre@example.org", kPassword, "Oscar Ailleurs");
    volunteerId = server.createAccount("vol@example.org", kPassword, "Véra Bénévole");
    server.grantRole(coordinatorId, associationId, "coordinator");
    server.grantRole(memberId, associationId, "volunteer");
    server.grantRole(outsiderId, otherAssociationId, "coordinator");
    missionId = insertMission(server, associationId, "Accueil du rucher");
    server.services().db.transaction([&](soci::session& sql) {
      sql << "UPDATE associations SET charter = 'Je respecte les abeilles.' WHERE id = :i", soci::use(associationId);
    });
  }

  long long apply(HttpClient& client, const std::string& motivation = "J'aime les abeilles") {
    std::string page = "/missions/" + std::to_string(missionId) + "/apply";
    auto response = client.postFormWithCsrf(page, page, {{"motivation", motivation}});
    REQUIRE(response.status == 303);
    return idFromLocation(response.header("location"));
  }

  HttpResponse move(HttpClient& client, long long applicationId, const std::string& to,
                    HttpClient::FormFields extra = {}) {
    std::string detail = "/a/abeilles/manage/applications/" + std::to_string(applicationId);
    extra.emplace_back("to", to);
    return client.postFormWithCsrf(detail + "/transition", detail, extra);
  }

  TestServer& server;
  long long associationId = 0;
  long long otherAssociationId = 0;
  long long coordinatorId = 0;
  long long memberId = 0;
  long long outsiderId = 0;
  long long volunteerId = 0;
  long long missionId = 0;
};

}  // namespace

TEST_CASE("a volunteer goes from applying to feedback, and every step is recorded") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      World world(server);
      auto volunteer = server.signedIn("vol@example.org", kPassword);
      auto coordinator = server.signedIn("coord@example.org", kPassword);

      auto form = volunteer.get("/missions/" + std::to_string(world.missionId) + "/apply");
      REQUIRE(form.status == 200);
      CHECK(form.body.find("Accueil du rucher") != std::string::npos);
      long long id = world.apply(volunteer);
      CHECK(applicationStatus(server, id) == "applied");
      std::string mine = "/me/applications/" + std::to_string(id);

      auto list = volunteer.get("/me/applications");
      REQUIRE(list.status == 200);
      CHECK(list.body.find("aria-current=\"step\"") != std::string::npos);

      // A forbidden jump is refused and changes nothing.
      auto jump = world.move(coordinator, id, "active");
      CHECK(jump.status == 422);
      CHECK(applicationStatus(server, id) == "applied");
      CHECK(eventsOf(server, id).size() == 1);
      // The coordinator cannot sign the charter for the volunteer either.
      CHECK(world.move(coordinator, id, "charter_signed").status == 422);

      CHECK(world.move(coordinator, id, "interview_scheduled").status == 303);
      CHECK(applicationStatus(server, id) == "interview_scheduled");

      auto detail = volunteer.get(mine);
      REQUIRE(detail.status == 200);
      CHECK(detail.body.find("Je respecte les abeilles.") != std::string::npos);
      CHECK(volunteer.postFormWithCsrf(mine + "/charter", mine, {}).status == 422);  // box not ticked
      CHECK(applicationStatus(server, id) == "interview_scheduled");
      CHECK(volunteer.postFormWithCsrf(mine + "/charter", mine, {{"accept", "1"}}).status == 303);
      CHECK(applicationStatus(server, id) == "charter_signed");
      CHECK(count(server, "SELECT COUNT(*) FROM applications WHERE id = :i AND charter_signed_at IS NOT NULL", id) ==
            1);

      // Hours are refused before the mission is active.
      CHECK(volunteer.postFormWithCsrf(mine + "/hours", mine, {{"day", "2024-03-01"}, {"minutes", "60"}}).status ==
            409);

      CHECK(world.move(coordinator, id, "training_done").status == 303);
      // A referent must be a member of the association.
      CHECK(world.move(coordinator, id, "active", {{"referent_account_id", std::to_string(world.outsiderId)}}).status ==
            422);
      CHECK(applicationStatus(server, id) == "training_done");
      CHECK(world.move(coordinator, id, "active", {{"referent_account_id", std::to_string(world.memberId)}}).status ==
            303);
      CHECK(applicationStatus(server, id) == "active");
      CHECK(count(server, "SELECT referent_account_id FROM applications WHERE id = :i", id) == world.memberId);

      CHECK(volunteer.postFormWithCsrf(mine + "/hours", mine, {{"day", "2999-01-01"}, {"minutes", "60"}}).status ==
            422);
      CHECK(volunteer.postFormWithCsrf(mine + "/hours", mine, {{"day", "2024-03-01"}, {"minutes", "0"}}).status == 422);
      CHECK(volunteer
                .postFormWithCsrf(mine + "/hours", mine,
                                  {{"day", "2024-03-01"}, {"minutes", "150"}, {"note", "Nettoyage des ruches"}})
                .status == 303);
      long long hoursId = 0;
      {
        ruche::storage::Database::Session session(server.services().db);
        *session << "SELECT id FROM hours WHERE application_id = :i AND status = 'pending'", soci::use(id),
            soci::into(hoursId);
      }
      REQUIRE(hoursId > 0);
      auto pending = coordinator.get("/a/abeilles/manage/hours");
      REQUIRE(pending.status == 200);
      CHECK(pending.body.find("Nettoyage des ruches") != std::string::npos);
      CHECK(coordinator
                .postFormWithCsrf("/a/abeilles/manage/hours/" + std::to_string(hoursId) + "/validate",
                                  "/a/abeilles/manage/hours", {})
                .status == 303);
      CHECK(count(server, "SELECT COUNT(*) FROM hours WHERE id = :i AND status = 'validated' AND validated_at > 0",
                  hoursId) == 1);
      CHECK(count(server, "SELECT validated_by FROM hours WHERE id = :i", hoursId) == world.coordinatorId);
      // Deciding twice is refused.
      CHECK(coordinator
                .postFormWithCsrf("/a/abeilles/manage/hours/" + std::to_string(hoursId) + "/reject",
                                  "/a/abeilles/manage/hours", {})
                .status == 409);

      // Feedback waits for completion.
      CHECK(volunteer.postFormWithCsrf(mine + "/feedback", mine, {{"rating", "5"}}).status == 409);
      CHECK(world.move(coordinator, id, "completed").status == 303);
      CHECK(applicationStatus(server, id) == "completed");

      CHECK(volunteer.postFormWithCsrf(mine + "/feedback", mine, {{"rating", "6"}}).status == 422);
      CHECK(
          volunteer.postFormWithCsrf(mine + "/feedback", mine, {{"rating", "5"}, {"comment", "Super équipe"}}).status ==
          303);
      CHECK(volunteer.postFormWithCsrf(mine + "/feedback", mine, {{"rating", "4"}}).status == 409);
      std::string managed = "/a/abeilles/manage/applications/" + std::to_string(id);
      CHECK(coordinator.postFormWithCsrf(managed + "/feedback", managed, {{"rating", "4"}}).status == 303);
      CHECK(count(server, "SELECT COUNT(*) FROM feedback WHERE application_id = :i", id) == 2);
      CHECK(count(server,
                  "SELECT COUNT(*) FROM feedback WHERE application_id = :i AND direction = 'from_volunteer' "
                  "AND rating = 5",
                  id) == 1);

      // A final state takes no more moves.
      CHECK(world.move(coordinator, id, "declined").status == 422);

      Path expected = {{"", "applied"},
                       {"applied", "interview_scheduled"},
                       {"interview_scheduled", "charter_signed"},
                       {"charter_signed", "training_done"},
                       {"training_done", "active"},
                       {"active", "completed"}};
      CHECK(eventsOf(server, id) == expected);

      auto pipeline = coordinator.get("/a/abeilles/manage/applications");
      REQUIRE(pipeline.status == 200);
      CHECK(pipeline.body.find("Véra Bénévole") != std::string::npos);
    }
  }
}

TEST_CASE("a second application to the same mission is refused") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      World world(server);
      auto volunteer = server.signedIn("vol@example.org", kPassword);
      world.apply(volunteer);
      std::string page = "/missions/" + std::to_string(world.missionId) + "/apply";
      auto again = volunteer.postFormWithCsrf(page, "/me/applications", {{"motivation", "Encore"}});
      CHECK(again.status == 409);
      CHECK(again.body.find("/me/applications/") != std::string::npos);
      CHECK(count(server, "SELECT COUNT(*) FROM applications WHERE mission_id = :m", world.missionId) == 1);
    }
  }
}

TEST_CASE("applying needs a published mission and a motivation of at most 2000 characters") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      World world(server);
      auto volunteer = server.signedIn("vol@example.org", kPassword);
      long long draft = insertMission(server, world.associationId, "Brouillon", "draft");
      long long closed = insertMission(server, world.associationId, "Fermée", "closed");
      CHECK(volunteer.get("/missions/" + std::to_string(draft) + "/apply").status == 404);
      std::string closedPage = "/missions/" + std::to_string(closed) + "/apply";
      CHECK(volunteer.postFormWithCsrf(closedPage, "/me/applications", {}).status == 409);
      std::string page = "/missions/" + std::to_string(world.missionId) + "/apply";
      auto tooLong = volunteer.postFormWithCsrf(page, page, {{"motivation", std::string(2001, 'a')}});
      CHECK(tooLong.status == 422);
      CHECK(count(server, "SELECT COUNT(*) FROM applications WHERE account_id = :a", world.volunteerId) == 0);
    }
  }
}

TEST_CASE("people who do not coordinate the association get 403 on its pipeline and hours pages") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      World world(server);
      auto volunteer = server.signedIn("vol@example.org", kPassword);
      long long id = world.apply(volunteer);
      auto coordinator = server.signedIn("coord@example.org", kPassword);
      REQUIRE(world.move(coordinator, id, "interview_scheduled").status == 303);
      long long hoursId = 0;
      server.services().db.transaction([&](soci::session& sql) {
        sql << "INSERT INTO hours (application_id, account_id, association_id, day, minutes, status, created_at) "
               "VALUES (:ap, :a, :s, '2024-01-01', 30, 'pending', 0) RETURNING id",
            soci::use(id), soci::use(world.volunteerId), soci::use(world.associationId), soci::into(hoursId);
      });
      std::string base = "/a/abeilles/manage";
      std::string detail = base + "/applications/" + std::to_string(id);
      for (const char* email : {"autre@example.org", "membre@example.org", "vol@example.org"}) {
        CAPTURE(email);
        auto client = server.signedIn(email, kPassword);
        CHECK(client.get(base + "/applications").status == 403);
        CHECK(client.get(detail).status == 403);
        CHECK(client.get(base + "/hours").status == 403);
        CHECK(client.postFormWithCsrf(detail + "/transition", "/me/applications", {{"to", "declined"}}).status == 403);
        CHECK(client.postFormWithCsrf(detail + "/feedback", "/me/applications", {{"rating", "3"}}).status == 403);
        CHECK(client.postFormWithCsrf(base + "/hours/" + std::to_string(hoursId) + "/validate", "/me/applications", {})
                  .status == 403);
        CHECK(client.postFormWithCsrf(base + "/hours/" + std::to_string(hoursId) + "/reject", "/me/applications", {})
                  .status == 403);
      }
      CHECK(applicationStatus(server, id) == "interview_scheduled");
      CHECK(count(server, "SELECT COUNT(*) FROM hours WHERE id = :i AND status = 'pending'", hoursId) == 1);

      // A coordinator of another association finds nothing there under their own slug.
      auto outsider = server.signedIn("autre@example.org", kPassword);
      CHECK(outsider.get("/a/frelons/manage/applications/" + std::to_string(id)).status == 404);
      CHECK(outsider
                .postFormWithCsrf("/a/frelons/manage/applications/" + std::to_string(id) + "/transition",
                                  "/a/frelons/manage/applications", {{"to", "declined"}})
                .status == 404);
      CHECK(outsider
                .postFormWithCsrf("/a/frelons/manage/hours/" + std::to_string(hoursId) + "/validate",
                                  "/a/frelons/manage/hours", {})
                .status == 404);
      CHECK(applicationStatus(server, id) == "interview_scheduled");
    }
  }
}

TEST_CASE("someone else's application is not found and a POST without its CSRF token is refused") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      World world(server);
      auto volunteer = server.signedIn("vol@example.org", kPassword);
      long long id = world.apply(volunteer);
      std::string mine = "/me/applications/" + std::to_string(id);

      auto other = server.signedIn("membre@example.org", kPassword);
      CHECK(other.get(mine).status == 404);
      CHECK(other.postFormWithCsrf(mine + "/withdraw", "/me/applications", {}).status == 404);
      CHECK(applicationStatus(server, id) == "applied");

      CHECK(volunteer.postForm(mine + "/withdraw", {{"reason", "Sans jeton"}}).status == 403);
      auto coordinator = server.signedIn("coord@example.org", kPassword);
      CHECK(coordinator
                .postForm("/a/abeilles/manage/applications/" + std::to_string(id) + "/transition",
                          {{"to", "interview_scheduled"}})
                .status == 403);
      CHECK(applicationStatus(server, id) == "applied");

      CHECK(volunteer.postFormWithCsrf(mine + "/withdraw", mine, {{"reason", "Plus disponible"}}).status == 303);
      CHECK(applicationStatus(server, id) == "withdrawn");
      Path expected = {{"", "applied"}, {"applied", "withdrawn"}};
      CHECK(eventsOf(server, id) == expected);
    }
  }
}
