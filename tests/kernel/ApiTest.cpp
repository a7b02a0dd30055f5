#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

#include <set>

#include "kernel/domain/Missions.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

const char* const kPassword = "correct horse battery";

Poco::JSON::Object::Ptr parse(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

HttpClient::Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

/// The JSON pointers of a 422 problem document.
std::set<std::string> pointersOf(const std::string& body) {
  std::set<std::string> pointers;
  auto errors = parse(body)->getArray("errors");
  for (std::size_t i = 0; errors && i < errors->size(); ++i) {
    pointers.insert(errors->getObject(static_cast<unsigned>(i))->getValue<std::string>("pointer"));
  }
  return pointers;
}

long long missionCount(TestServer& server) {
  long long n = -1;
  ruche::storage::Database::Session session(server.services().db);
  *session << "SELECT COUNT(*) FROM missions", soci::into(n);
  return n;
}

long long publishedMission(TestServer& server, long long association, const std::string& title) {
  ruche::domain::MissionInput input;
  input.title = title;
  input.description = "Une mission utile pour la fédération.";
  input.kind = "regular";
  input.mode = "onsite";
  input.place = "Lyon";
  return ruche::domain::Missions(server.services().db).create(association, 0, input, true);
}

const char* const kValidMission =
    R"({"title": "Cours de français", "description": "Deux heures par semaine avec des adultes.",
        "kind": "regular", "mode": "hybrid", "place": "Lyon", "starts_on": "2030-01-10",
        "required_skills": ["teaching"], "causes": ["education"],
        "languages": [{"language": "fr", "required": true}], "places_available": 3})";

}  // namespace

TEST_CASE("API tokens authenticate /me calls and a revoked or missing token gets 401") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long me = server.createAccount("awa@example.org", kPassword, "Awa Diallo");
      std::string token = server.services().apiTokens.create(me, "script");
      HttpClient http = server.client();

      auto profile = http.get("/api/v1/me/profile", bearer(token));
      REQUIRE(profile.status == 200);
      CHECK(profile.header("Content-Type").find("application/json") == 0);
      CHECK(parse(profile.body)->getValue<std::string>("display_name") == "Awa Diallo");

      auto anonymous = http.get("/api/v1/me/profile");
      CHECK(anonymous.status == 401);
      CHECK(anonymous.header("Content-Type") == "application/problem+json");
      CHECK(parse(anonymous.body)->getValue<int>("status") == 401);

      auto tokens = server.services().apiTokens.list(me);
      REQUIRE(tokens.size() == 1);
      REQUIRE(server.services().apiTokens.revoke(me, tokens.front().id));
      auto revoked = http.get("/api/v1/me/profile", bearer(token));
      CHECK(revoked.status == 401);
      CHECK(revoked.header("WWW-Authenticate") == "Bearer");
      CHECK(http.get("/api/v1/me/data", bearer("ruche_not-a-token")).status == 401);
    }
  }
}

TEST_CASE("the profile is replaced with PUT and row errors point into the arrays") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long me = server.createAccount("awa@example.org", kPassword, "Awa Diallo");
      auto auth = bearer(server.services().apiTokens.create(me, "script"));
      HttpClient http = server.client();

      auto saved = http.request("PUT", "/api/v1/me/profile",
                                R"({"display_name": "Awa D.", "timezone": "Africa/Dakar", "locale": "en",
                                    "skills": ["writing"], "remote_only": true,
                                    "languages": [{"code": "fr", "level": "native"}],
                                    "availability": [{"weekday": 2, "start": "18:00", "end": "20:00"}]})",
                                "application/json", auth);
      REQUIRE(saved.status == 200);
      auto body = parse(saved.body);
      CHECK(body->getValue<std::string>("display_name") == "Awa D.");
      CHECK(body->getValue<bool>("remote_only"));
      CHECK(body->getArray("availability")->getObject(0)->getValue<int>("weekday") == 2);

      auto bad = http.request("PUT", "/api/v1/me/profile",
                              R"({"display_name": "Awa", "timezone": "Africa/Dakar", "locale": "en",
                                  "languages": [{"code": "fr", "level": "native"}, {"code": "en", "level": "guru"}],
                                  "hours_per_week": "six"})",
                              "application/json", auth);
      CHECK(bad.status == 422);
      CHECK(pointersOf(bad.body) == std::set<std::string>{"/hours_per_week"});
      bad = http.request("PUT", "/api/v1/me/profile",
                         R"({"display_name": "Awa", "timezone": "Africa/Dakar", "locale": "en",
                             "languages": [{"code": "fr", "level": "native"}, {"code": "en", "level": "guru"}]})",
                         "application/json", auth);
      CHECK(bad.status == 422);
      CHECK(pointersOf(bad.body) == std::set<std::string>{"/languages/1/level"});
      // Nothing was written: the first save still stands.
      CHECK(parse(http.get("/api/v1/me/profile", auth).body)->getValue<std::string>("display_name") == "Awa D.");

      auto data = http.get("/api/v1/me/data", auth);
      CHECK(data.status == 200);
      CHECK(data.body.find("awa@example.org") != std::string::npos);
    }
  }
}

TEST_CASE("lists are paginated with an envelope and Link headers") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      for (int i = 0; i < 5; ++i) {
        publishedMission(server, resto, "Mission numéro " + std::to_string(i));
      }
      HttpClient http = server.client();

      auto first = http.get("/api/v1/missions?association=resto&per_page=2");
      REQUIRE(first.status == 200);
      auto body = parse(first.body);
      CHECK(body->getArray("items")->size() == 2);
      CHECK(body->getValue<int>("page") == 1);
      CHECK(body->getValue<int>("per_page") == 2);
      CHECK(body->getValue<int>("total") == 5);
      std::string link = first.header("Link");
      CHECK(link.find("association=resto&page=2&per_page=2>; rel=\"next\"") != std::string::npos);
      CHECK(link.find("rel=\"prev\"") == std::string::npos);

      auto last = http.get("/api/v1/missions?association=resto&per_page=2&page=3");
      CHECK(parse(last.body)->getArray("items")->size() == 1);
      CHECK(last.header("Link").find("page=2&per_page=2>; rel=\"prev\"") != std::string::npos);
      CHECK(last.header("Link").find("rel=\"next\"") == std::string::npos);

      auto tooMany = http.get("/api/v1/missions?per_page=101");
      CHECK(tooMany.status == 422);
      CHECK(pointersOf(tooMany.body) == std::set<std::string>{"/per_page"});
      CHECK(pointersOf(http.get("/api/v1/missions?mode=boat&skill=nope").body) ==
            std::set<std::string>{"/mode", "/skill"});

      auto associations = parse(http.get("/api/v1/associations?per_page=1").body);
      CHECK(associations->getValue<int>("total") == 1);
      CHECK(associations->getArray("items")->getObject(0)->getValue<std::string>("slug") == "resto");
      CHECK(http.get("/api/v1/associations/resto").status == 200);
      CHECK(http.get("/api/v1/associations/nowhere").status == 404);
    }
  }
}

TEST_CASE("a coordinator creates and edits and publishes and closes a mission and bad input writes nothing") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      long long coordinator = server.createAccount("coord@example.org", kPassword, "Coord");
      server.grantRole(coordinator, resto, "coordinator");
      auto auth = bearer(server.services().apiTokens.create(coordinator, "script"));
      HttpClient http = server.client();

      auto invalid = http.postJson("/api/v1/associations/resto/missions",
                                   R"({"title": "ab", "kind": "weekly", "mode": "onsite",
                                       "places_available": "three", "causes": "education",
                                       "languages": [{"language": 12}], "titel": "typo"})",
                                   auth);
      CHECK(invalid.status == 422);
      CHECK(invalid.header("Content-Type") == "application/problem+json");
      CHECK(pointersOf(invalid.body) ==
            std::set<std::string>{"/places_available", "/causes", "/languages/0/language", "/titel"});
      auto domainInvalid = http.postJson("/api/v1/associations/resto/missions",
                                         R"({"title": "ab", "kind": "weekly", "mode": "onsite"})", auth);
      CHECK(domainInvalid.status == 422);
      CHECK(pointersOf(domainInvalid.body) == std::set<std::string>{"/title", "/description", "/kind", "/place"});
      auto malformed = http.postJson("/api/v1/associations/resto/missions", R"({"title": "Cours",)", auth);
      CHECK(malformed.status == 400);
      CHECK(parse(malformed.body)->getValue<int>("status") == 400);
      CHECK(http.postJson("/api/v1/associations/resto/missions", "[1, 2]", auth).status == 400);
      CHECK(missionCount(server) == 0);

      auto created = http.postJson("/api/v1/associations/resto/missions", kValidMission, auth);
      REQUIRE(created.status == 201);
      auto mission = parse(created.body);
      long long id = mission->getValue<long long>("id");
      CHECK(created.header("Location") == "/api/v1/missions/" + std::to_string(id));
      CHECK(mission->getValue<std::string>("status") == "draft");
      CHECK(mission->getArray("required_skills")->getElement<std::string>(0) == "teaching");
      // A draft is hidden from the public but not from its coordinator.
      CHECK(server.client().get("/api/v1/missions/" + std::to_string(id)).status == 404);
      CHECK(http.get("/api/v1/missions/" + std::to_string(id), auth).status == 200);

      std::string path = "/api/v1/associations/resto/missions/" + std::to_string(id);
      auto patched = http.request("PATCH", path, R"({"title": "Cours de français langue étrangère",
                                                     "starts_on": null})",
                                  "application/json", auth);
      REQUIRE(patched.status == 200);
      auto after = parse(patched.body);
      CHECK(after->getValue<std::string>("title") == "Cours de français langue étrangère");
      CHECK(after->isNull("starts_on"));
      CHECK(after->getValue<std::string>("place") == "Lyon");  // untouched members stay
      CHECK(after->getValue<int>("places_available") == 3);
      auto badPatch = http.request("PATCH", path, R"({"ends_on": "2029-01-01", "starts_on": "2030-01-01"})",
                                   "application/json", auth);
      CHECK(badPatch.status == 422);
      CHECK(pointersOf(badPatch.body) == std::set<std::string>{"/ends_on"});

      CHECK(parse(http.post(path + "/publish", "", "", auth).body)->getValue<std::string>("status") == "published");
      CHECK(server.client().get("/api/v1/missions/" + std::to_string(id)).status == 200);
      CHECK(parse(http.post(path + "/close", "", "", auth).body)->getValue<std::string>("status") == "closed");
      CHECK(http.post(path + "/publish", "", "", auth).status == 409);
      CHECK(parse(http.get("/api/v1/associations/resto/missions", auth).body)->getValue<int>("total") == 1);
    }
  }
}

TEST_CASE("volunteers and coordinators of another association cannot write missions") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      long long biblio = server.createAssociation("biblio", "Biblio");
      long long volunteer = server.createAccount("vol@example.org", kPassword, "Vol");
      long long other = server.createAccount("other@example.org", kPassword, "Other");
      server.grantRole(volunteer, resto, "volunteer");
      server.grantRole(other, biblio, "coordinator");
      long long mission = publishedMission(server, resto, "Distribution du samedi");
      HttpClient http = server.client();
      std::string path = "/api/v1/associations/resto/missions/" + std::to_string(mission);

      for (long long account : {volunteer, other}) {
        auto auth = bearer(server.services().apiTokens.create(account, "script"));
        CHECK(http.postJson("/api/v1/associations/resto/missions", kValidMission, auth).status == 403);
        CHECK(http.request("PATCH", path, R"({"title": "Pris"})", "application/json", auth).status == 403);
        CHECK(http.post(path + "/close", "", "", auth).status == 403);
      }
      // The biblio coordinator cannot reach a resto mission through biblio either.
      auto otherAuth = bearer(server.services().apiTokens.create(other, "again"));
      CHECK(http.request("PATCH", "/api/v1/associations/biblio/missions/" + std::to_string(mission),
                         R"({"title": "Pris ailleurs"})", "application/json", otherAuth)
                .status == 404);
      CHECK(missionCount(server) == 1);
    }
  }
}

TEST_CASE("browser sessions must send X-CSRF-Token on API writes") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("awa@example.org", kPassword, "Awa Diallo");
      HttpClient http = server.signedIn("awa@example.org", kPassword);
      CHECK(http.get("/api/v1/me/profile").status == 200);
      std::string body = R"({"display_name": "Awa", "timezone": "Europe/Paris", "locale": "fr"})";
      CHECK(http.request("PUT", "/api/v1/me/profile", body, "application/json").status == 403);
      std::string csrf = HttpClient::csrfFrom(http.get("/").body);
      CHECK(http.request("PUT", "/api/v1/me/profile", body, "application/json", {{"X-CSRF-Token", csrf}}).status ==
            200);
    }
  }
}

TEST_CASE("an application goes through every step by the API and hours are logged and validated") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      long long volunteer = server.createAccount("vol@example.org", kPassword, "Vol");
      long long coordinator = server.createAccount("coord@example.org", kPassword, "Coord");
      server.grantRole(coordinator, resto, "coordinator");
      long long mission = publishedMission(server, resto, "Distribution du samedi");
      auto me = bearer(server.services().apiTokens.create(volunteer, "script"));
      auto coord = bearer(server.services().apiTokens.create(coordinator, "script"));
      HttpClient http = server.client();

      CHECK(http.postJson("/api/v1/missions/" + std::to_string(mission) + "/applications", R"({"motivation": 5})", me)
                .status == 422);
      auto applied = http.postJson("/api/v1/missions/" + std::to_string(mission) + "/applications",
                                   R"({"motivation": "J'ai du temps le samedi."})", me);
      REQUIRE(applied.status == 201);
      long long id = parse(applied.body)->getValue<long long>("id");
      CHECK(applied.header("Location") == "/api/v1/me/applications/" + std::to_string(id));
      CHECK(http.postJson("/api/v1/missions/" + std::to_string(mission) + "/applications", "{}", me).status == 409);
      CHECK(parse(http.get("/api/v1/me/applications", me).body)->getValue<int>("total") == 1);

      std::string pipeline = "/api/v1/associations/resto/applications";
      auto listed = parse(http.get(pipeline + "?status=applied", coord).body);
      CHECK(listed->getValue<int>("total") == 1);
      CHECK(listed->getArray("items")->getObject(0)->getObject("volunteer")->getValue<std::string>("name") == "Vol");
      CHECK(parse(http.get(pipeline + "?status=active", coord).body)->getValue<int>("total") == 0);
      CHECK(pointersOf(http.get(pipeline + "?status=nope", coord).body) == std::set<std::string>{"/status"});
      // The volunteer is not a coordinator.
      CHECK(http.get(pipeline, me).status == 403);

      std::string transitions = pipeline + "/" + std::to_string(id) + "/transitions";
      auto skip = http.postJson(transitions, R"({"to": "active"})", coord);
      CHECK(skip.status == 422);
      CHECK(pointersOf(skip.body) == std::set<std::string>{"/to"});
      CHECK(http.postJson(transitions, R"({"note": "sans cible"})", coord).status == 422);
      auto step = http.postJson(transitions, R"({"to": "interview_scheduled", "note": "Mardi 18h"})", coord);
      REQUIRE(step.status == 200);
      CHECK(parse(step.body)->getValue<std::string>("status") == "interview_scheduled");

      std::string mine = "/api/v1/me/applications/" + std::to_string(id);
      auto unsigned_ = http.postJson(mine + "/charter", R"({"accept": false})", me);
      CHECK(unsigned_.status == 422);
      CHECK(pointersOf(unsigned_.body) == std::set<std::string>{"/accept"});
      REQUIRE(http.postJson(mine + "/charter", R"({"accept": true})", me).status == 200);
      REQUIRE(http.postJson(transitions, R"({"to": "training_done"})", coord).status == 200);
      auto active = http.postJson(
          transitions, R"({"to": "active", "referent_account_id": )" + std::to_string(coordinator) + "}", coord);
      REQUIRE(active.status == 200);
      CHECK(parse(active.body)->getObject("referent")->getValue<long long>("account_id") == coordinator);

      auto badHours = http.postJson(mine + "/hours", R"({"day": "2020-02-30", "minutes": 0})", me);
      CHECK(badHours.status == 422);
      CHECK(pointersOf(badHours.body) == std::set<std::string>{"/day", "/minutes"});
      auto logged = http.postJson(mine + "/hours", R"({"day": "2024-03-02", "minutes": 150, "note": "Tri"})", me);
      REQUIRE(logged.status == 201);
      long long hoursId = parse(logged.body)->getValue<long long>("id");
      auto pending = parse(http.get("/api/v1/associations/resto/hours?status=pending", coord).body);
      CHECK(pending->getValue<int>("total") == 1);
      std::string decide = "/api/v1/associations/resto/hours/" + std::to_string(hoursId);
      CHECK(http.post(decide + "/validate", "", "", me).status == 403);
      auto validated = http.post(decide + "/validate", "", "", coord);
      REQUIRE(validated.status == 200);
      CHECK(parse(validated.body)->getValue<std::string>("status") == "validated");
      CHECK(http.post(decide + "/reject", "", "", coord).status == 409);
      CHECK(parse(http.get("/api/v1/associations/resto/hours", coord).body)->getValue<int>("total") == 0);

      auto detail = parse(http.get(mine, me).body);
      CHECK(detail->getArray("history")->size() == 5);
      CHECK(detail->getArray("hours")->getObject(0)->getValue<std::string>("status") == "validated");
      auto withdrawn = http.post(mine + "/withdraw", "", "", me);
      REQUIRE(withdrawn.status == 200);
      CHECK(parse(withdrawn.body)->getValue<std::string>("status") == "withdrawn");
      // Another person cannot see it.
      long long stranger = server.createAccount("x@example.org", kPassword, "X");
      CHECK(http.get(mine, bearer(server.services().apiTokens.create(stranger, "s"))).status == 404);
    }
  }
}
