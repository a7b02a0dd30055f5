// The matching plugin (plugins/matching) loaded into real servers, on both
// backends: its index follows the database through changes and across two
// processes sharing one database; explanations on pages and in the API add
// up to the scores; a volunteer lacking a required language is never
// suggested; the digest is rate-limited per person; mentor pairs are
// confirmed by a coordinator and seen by their members only.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <string>
#include <thread>

#include "kernel/domain/Missions.h"
#include "kernel/plugins/PluginHost.h"
#include "kernel/storage/Database.h"
#include "ruche/sdk/Value.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;
using namespace std::chrono_literals;
using ruche::sdk::Value;
namespace fs = std::filesystem;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kSlug = "entraide";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Waits until every event delivery is done (the change log is written).
void settle(TestServer& server) {
  REQUIRE_MESSAGE(server.waitForDeliveries(10s), "event deliveries still pending after 10 s");
}

/// Matching in `dir`, on the database `databaseUrl` when given (a second
/// server on the same data).
TestServer::Options withMatching(const fs::path& dir, const std::string& databaseUrl = "") {
  TestServer::Options options = TestServer::withPlugins(dir, {"matching"});
  if (!databaseUrl.empty()) {
    options.settings["database.url"] = databaseUrl;
  }
  return options;
}

ruche::domain::MissionInput missionInput(const std::string& title) {
  ruche::domain::MissionInput input;
  input.title = title;
  input.description = "Une mission de l'entraide.";
  input.kind = "regular";
  input.mode = "onsite";
  input.place = "Lyon";
  input.placesAvailable = "3";
  return input;
}

/// A server with matching on in one association, a coordinator and a
/// federation admin signed in.
struct World {
  explicit World(Backend backend)
      : server(backend, withMatching(plugins.path())), coordinator(server.client()), admin(server.client()) {
    associationId = server.createAssociation(kSlug, "Entraide");
    server.app().plugins().store().setEnabled("matching", associationId, true);
    long long coordinatorId = server.createAccount("coord@example.org", kPassword, "Camille");
    server.grantRole(coordinatorId, associationId, "coordinator");
    coordinator = server.signedIn("coord@example.org", kPassword);
    server.createAccount("admin@example.org", kPassword, "Admin", true);
    admin = server.signedIn("admin@example.org", kPassword);
  }

  /// A volunteer with a profile saved through the form; returns their client.
  HttpClient volunteer(const std::string& email, const std::string& name, HttpClient::FormFields profile, bool optIn,
                       long long* id = nullptr) {
    long long accountId = server.createAccount(email, kPassword, name);
    if (id != nullptr) {
      *id = accountId;
    }
    HttpClient http = server.signedIn(email, kPassword);
    save(http, name, std::move(profile), optIn);
    return http;
  }

  void save(HttpClient& http, const std::string& name, HttpClient::FormFields profile, bool optIn) {
    HttpClient::FormFields form = {
        {"display_name", name}, {"timezone", "Europe/Paris"}, {"locale", "fr"}, {"hours_per_week", "4"}};
    for (auto& field : profile) {
      form.push_back(field);
    }
    if (optIn) {
      form.emplace_back("plugin_matching_suggestions", "1");
    }
    auto saved = http.postFormWithCsrf("/me/profile", "/me/profile", form);
    REQUIRE(saved.status == 303);
  }

  ruche::domain::Missions missions() {
    return ruche::domain::Missions(server.services().db, &server.services().events);
  }

  std::string inviteApi(long long missionId) const {
    return "/api/v1/associations/" + kSlug + "/matching/missions/" + std::to_string(missionId) + "/volunteers";
  }

  Value json(HttpClient& http, const std::string& path) {
    auto response = http.get(path);
    REQUIRE(response.status == 200);
    return Value::parseJson(response.body);
  }

  /// The index check: the live index of this process against one built
  /// from the database now.
  Value check() { return json(admin, "/api/v1/plugins/matching/index/check"); }

  TempDir plugins;
  TestServer server;
  HttpClient coordinator;
  HttpClient admin;
  long long associationId = 0;
};

std::vector<long long> idsOf(const Value& suggestions) {
  std::vector<long long> ids;
  for (const auto& s : suggestions.asArray()) {
    ids.push_back(s["id"].asInt());
  }
  return ids;
}

bool has(const std::vector<long long>& ids, long long id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

/// Every suggestion's score is the sum of its reasons' contributions.
void checkExplained(const Value& suggestions) {
  for (const auto& s : suggestions.asArray()) {
    double sum = 0;
    for (const auto& reason : s["reasons"].asArray()) {
      sum += reason["contribution"].asDouble();
      CHECK_FALSE(reason["text"].asString().empty());
    }
    CHECK(std::abs(sum - s["score"].asDouble()) < 0.05);
  }
}

const Value* reasonOf(const Value& suggestion, const std::string& key) {
  for (const auto& reason : suggestion["reasons"].asArray()) {
    if (reason["key"].asString() == key) {
      return &reason;
    }
  }
  return nullptr;
}

HttpClient::FormFields anaProfile() {
  return {{"skills", "cooking"},           {"skills", "driving"},
          {"languages_0_code", "fr"},      {"languages_0_level", "native"},
          {"languages_1_code", "en"},      {"languages_1_level", "fluent"},
          {"availability_0_weekday", "1"}, {"availability_0_start", "18:00"},
          {"availability_0_end", "21:00"}};
}

HttpClient::FormFields bobProfile() {
  return {{"skills", "cooking"}, {"languages_0_code", "fr"}, {"languages_0_level", "native"}};
}

}  // namespace

TEST_CASE(
    "matching: the index follows missions and profiles, across two processes, and never suggests a "
    "volunteer lacking a required language") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long ana = 0;
      long long bob = 0;
      HttpClient anaHttp = world.volunteer("ana@example.org", "Ana", anaProfile(), true, &ana);
      HttpClient bobHttp = world.volunteer("bob@example.org", "Bob", bobProfile(), true, &bob);

      auto kitchen = missionInput("Cuisine du mardi");
      kitchen.requiredSkills = {"cooking", "driving"};
      kitchen.schedule = "les mardis 18h-20h";
      kitchen.languages = {{"en", true}};
      long long kitchenId = world.missions().create(world.associationId, 0, kitchen, true);
      auto driving = missionInput("Tournée en camion");
      driving.niceSkills = {"driving"};
      long long drivingId = world.missions().create(world.associationId, 0, driving, true);
      long long draftId = world.missions().create(world.associationId, 0, missionInput("Brouillon"), false);
      settle(world.server);

      auto check = world.check();
      CHECK(check["consistent"].asBool());
      CHECK(check["missions"].asInt() == 2);

      // Bob lacks the required English: never among people to invite.
      auto people = world.json(world.coordinator, world.inviteApi(kitchenId))["suggestions"];
      CHECK(has(idsOf(people), ana));
      CHECK_FALSE(has(idsOf(people), bob));
      checkExplained(people);
      REQUIRE(!people.asArray().empty());
      const Value* skills = reasonOf(people.asArray().front(), "skills");
      REQUIRE(skills != nullptr);
      CHECK((*skills)["matched"].asInt() == 2);
      CHECK((*skills)["total"].asInt() == 2);
      CHECK((*skills)["text"].asString() == "2 compétences sur 2");
      const Value* languages = reasonOf(people.asArray().front(), "languages");
      REQUIRE(languages != nullptr);
      CHECK((*languages)["text"].asString() == "parle anglais");

      // Ana's missions: both published ones, never the draft.
      auto mine = world.json(anaHttp, "/api/v1/plugins/matching/missions-for-me")["suggestions"];
      CHECK(has(idsOf(mine), kitchenId));
      CHECK(has(idsOf(mine), drivingId));
      CHECK_FALSE(has(idsOf(mine), draftId));
      checkExplained(mine);

      // A second process on the same database: events reach one process
      // each, yet both indexes follow.
      TempDir otherPlugins;
      TestServer other(backend, withMatching(otherPlugins.path(), world.server.services().settings.databaseUrl));
      HttpClient otherAdmin = other.signedIn("admin@example.org", kPassword);
      HttpClient otherCoordinator = other.signedIn("coord@example.org", kPassword);
      auto otherCheck = Value::parseJson(otherAdmin.get("/api/v1/plugins/matching/index/check").body);
      CHECK(otherCheck["consistent"].asBool());
      CHECK(otherCheck["missions"].asInt() == 2);

      // Changes: English no longer required, the lorry round closed, the
      // draft published, Bob learns English.
      kitchen.languages = {{"en", false}};
      world.missions().update(kitchenId, kitchen);
      world.missions().setStatus(drivingId, "closed");
      world.missions().setStatus(draftId, "published");
      auto bobWithEnglish = bobProfile();
      bobWithEnglish.emplace_back("languages_1_code", "en");
      bobWithEnglish.emplace_back("languages_1_level", "basic");
      world.save(bobHttp, "Bob", bobWithEnglish, true);
      settle(world.server);

      for (HttpClient* admin : {&world.admin, &otherAdmin}) {
        auto after = Value::parseJson(admin->get("/api/v1/plugins/matching/index/check").body);
        CHECK(after["consistent"].asBool());
        CHECK(after["missions"].asInt() == 2);
        CHECK(after["replayed"].asInt() > 0);
      }
      for (HttpClient* coordinator : {&world.coordinator, &otherCoordinator}) {
        auto now = Value::parseJson(coordinator->get(world.inviteApi(kitchenId)).body)["suggestions"];
        CHECK(has(idsOf(now), bob));
        CHECK(has(idsOf(now), ana));
        checkExplained(now);
      }
      mine = world.json(anaHttp, "/api/v1/plugins/matching/missions-for-me")["suggestions"];
      CHECK_FALSE(has(idsOf(mine), drivingId));
      CHECK(has(idsOf(mine), draftId));
      // A closed mission has nobody to invite.
      CHECK(world.json(world.coordinator, world.inviteApi(drivingId))["suggestions"].size() == 0);

      // Once Bob applied, he is no longer "to invite", nor is the mission suggested to him.
      world.server.services().db.transaction([&](soci::session& sql) {
        sql << "INSERT INTO applications (mission_id, account_id, status, created_at, updated_at) "
               "VALUES (:m, :a, 'applied', 1, 1)",
            soci::use(kitchenId), soci::use(bob);
      });
      CHECK_FALSE(has(idsOf(world.json(world.coordinator, world.inviteApi(kitchenId))["suggestions"]), bob));
      CHECK_FALSE(
          has(idsOf(world.json(bobHttp, "/api/v1/plugins/matching/missions-for-me")["suggestions"]), kitchenId));

      // A new process built from the database alone agrees too (restart).
      TempDir restartPlugins;
      TestServer restarted(backend, withMatching(restartPlugins.path(), world.server.services().settings.databaseUrl));
      HttpClient restartedAdmin = restarted.signedIn("admin@example.org", kPassword);
      auto rebuilt = Value::parseJson(restartedAdmin.get("/api/v1/plugins/matching/index/check").body);
      CHECK(rebuilt["consistent"].asBool());
      CHECK(rebuilt["missions"].asInt() == 2);
      CHECK(rebuilt["volunteers"].asInt() == 4);  // Ana, Bob, the coordinator, the admin

      // A signup publishes no event: new accounts are picked up by id.
      world.server.createAccount("new@example.org", kPassword, "Noé");
      auto grown = world.check();
      CHECK(grown["consistent"].asBool());
      CHECK(grown["volunteers"].asInt() == 5);
    }
  }
}

TEST_CASE("matching: pages explain suggestions with the API's words, accessibly, and panels show on kernel pages") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long ana = 0;
      HttpClient anaHttp = world.volunteer("ana@example.org", "Ana", anaProfile(), true, &ana);
      auto kitchen = missionInput("Cuisine du mardi");
      kitchen.requiredSkills = {"cooking", "driving"};
      kitchen.schedule = "les mardis 18h-20h";
      kitchen.languages = {{"en", true}};
      long long kitchenId = world.missions().create(world.associationId, 0, kitchen, true);
      settle(world.server);

      auto page = anaHttp.get("/p/matching/for-you");
      REQUIRE(page.status == 200);
      auto api = world.json(anaHttp, "/api/v1/plugins/matching/missions-for-me")["suggestions"];
      REQUIRE(api.size() == 1);
      CHECK(contains(page.body, "Cuisine du mardi"));
      for (const auto& reason : api.asArray().front()["reasons"].asArray()) {
        CHECK(contains(page.body, reason["text"].asString()));
      }
      CHECK(contains(page.body, "2 compétences sur 2"));
      CHECK(contains(page.body, "parle anglais"));
      const Value* slot = reasonOf(api.asArray().front(), "availability");
      REQUIRE(slot != nullptr);
      CHECK(contains((*slot)["text"].asString(), "mardi"));

      auto english = anaHttp.get("/p/matching/for-you", {{"Accept-Language", "en"}});
      auto englishApi = Value::parseJson(
          anaHttp.get("/api/v1/plugins/matching/missions-for-me", {{"Accept-Language", "en"}}).body)["suggestions"];
      for (const auto& reason : englishApi.asArray().front()["reasons"].asArray()) {
        CHECK(contains(english.body, reason["text"].asString()));
      }

      auto invite =
          world.coordinator.get("/a/" + kSlug + "/matching/missions/" + std::to_string(kitchenId) + "/invite");
      REQUIRE(invite.status == 200);
      CHECK(contains(invite.body, "Ana"));
      CHECK(contains(invite.body, "<th scope=\"row\">"));
      for (const auto* body : {&page.body, &invite.body}) {
        auto first = body->find("<h1");
        REQUIRE(first != std::string::npos);
        CHECK(body->find("<h1", first + 1) == std::string::npos);
      }

      // Inviting Ana mails her once; the page then says she was invited.
      const std::string invitePath = "/a/" + kSlug + "/matching/missions/" + std::to_string(kitchenId) + "/invite";
      auto invited = world.coordinator.postFormWithCsrf(invitePath, invitePath, {{"account_id", std::to_string(ana)}});
      REQUIRE(invited.status == 303);
      auto mail = world.server.smtp().waitForMessage("ana@example.org", 10s);
      REQUIRE(mail.has_value());
      CHECK(contains(mail->subject, "Cuisine du mardi"));
      CHECK(contains(mail->body, "/missions/" + std::to_string(kitchenId)));
      CHECK(contains(world.coordinator.get(invitePath + "?invited=1").body, "Invitation envoyée"));
      CHECK(world.coordinator.postFormWithCsrf(invitePath, invitePath, {{"account_id", std::to_string(ana)}}).status ==
            303);
      CHECK(world.server.scalar("SELECT COUNT(*) FROM matching_invitations") == 1);
      // Someone neither member nor opted in cannot be invited.
      long long hidden = world.server.createAccount("hidden@example.org", kPassword, "Hidden");
      CHECK(
          world.coordinator.postFormWithCsrf(invitePath, invitePath, {{"account_id", std::to_string(hidden)}}).status ==
          422);

      // The panels on /me and on the coordinator's mission page.
      auto me = anaHttp.get("/me");
      CHECK(contains(me.body, "Missions pour vous"));
      CHECK(contains(me.body, "Cuisine du mardi"));
      auto edit = world.coordinator.get("/a/" + kSlug + "/manage/missions/" + std::to_string(kitchenId) + "/edit");
      CHECK(contains(edit.body, "Personnes à inviter"));
      CHECK(contains(edit.body, "Ana"));
      // Off in the association: no panel there, its pages answer 404, and
      // its missions are no longer suggested.
      world.server.app().plugins().store().setEnabled("matching", world.associationId, false);
      CHECK(world.json(anaHttp, "/api/v1/plugins/matching/missions-for-me")["suggestions"].size() == 0);
      CHECK_FALSE(contains(anaHttp.get("/me").body, "Missions pour vous"));
      edit = world.coordinator.get("/a/" + kSlug + "/manage/missions/" + std::to_string(kitchenId) + "/edit");
      CHECK_FALSE(contains(edit.body, "Personnes à inviter"));
      CHECK(world.coordinator.get(world.inviteApi(kitchenId)).status == 404);

      // Another association's coordinator cannot see this mission's people.
      world.server.app().plugins().store().setEnabled("matching", world.associationId, true);
      long long otherAssociation = world.server.createAssociation("autre", "Autre");
      world.server.app().plugins().store().setEnabled("matching", otherAssociation, true);
      long long stranger = world.server.createAccount("autre@example.org", kPassword, "Autre");
      world.server.grantRole(stranger, otherAssociation, "coordinator");
      HttpClient strangerHttp = world.server.signedIn("autre@example.org", kPassword);
      CHECK(strangerHttp.get(world.inviteApi(kitchenId)).status == 403);
      CHECK(
          strangerHttp.get("/api/v1/associations/autre/matching/missions/" + std::to_string(kitchenId) + "/volunteers")
              .status == 404);
    }
  }
}

TEST_CASE(
    "matching: a published mission reaches opted-in volunteers in one digest, at most one per person per "
    "rate-limit period") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      world.volunteer("ana@example.org", "Ana", anaProfile(), true);
      world.volunteer("bob@example.org", "Bob", bobProfile(), false);
      auto soup = missionInput("Soupe solidaire");
      soup.requiredSkills = {"cooking"};
      world.missions().create(world.associationId, 0, soup, true);
      settle(world.server);
      CHECK(world.server.scalar("SELECT COUNT(*) FROM matching_digest_queue") == 1);

      long long now = ruche::storage::nowSeconds();
      world.server.app().jobs().runDue(now + 1000);
      auto mail = world.server.smtp().waitForMessage("ana@example.org", 10s);
      REQUIRE(mail.has_value());
      CHECK(contains(mail->subject, "1 nouvelle mission pour vous"));
      CHECK(contains(mail->body, "Soupe solidaire"));

      // A second mission a day later waits: one digest per 7 days.
      auto bread = missionInput("Pain partagé");
      bread.requiredSkills = {"cooking"};
      world.missions().create(world.associationId, 0, bread, true);
      settle(world.server);
      world.server.app().jobs().runDue(now + 86400);
      std::this_thread::sleep_for(1s);
      auto count = [&] {
        int n = 0;
        for (const auto& message : world.server.smtp().messages()) {
          for (const auto& to : message.to) {
            n += to == "ana@example.org" ? 1 : 0;
          }
        }
        return n;
      };
      CHECK(count() == 1);
      CHECK(world.server.scalar("SELECT COUNT(*) FROM matching_digest_queue WHERE sent_at IS NULL") == 1);

      world.server.app().jobs().runDue(now + 8 * 86400);
      for (int i = 0; i < 100 && count() < 2; ++i) {
        std::this_thread::sleep_for(100ms);
      }
      CHECK(count() == 2);
      bool second = false;
      for (const auto& message : world.server.smtp().messages()) {
        second = second || contains(message.body, "Pain partagé");
      }
      CHECK(second);
      // Bob did not opt in: never mailed.
      for (const auto& message : world.server.smtp().messages()) {
        for (const auto& to : message.to) {
          CHECK(to != "bob@example.org");
        }
      }
    }
  }
}

TEST_CASE("matching: a coordinator confirms a mentor pair, whose page is for its two members and coordinators only") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long newcomer = 0;
      long long mentor = 0;
      long long bystander = 0;
      HttpClient newcomerHttp = world.volunteer("new@example.org", "Nina", bobProfile(), false, &newcomer);
      HttpClient mentorHttp = world.volunteer("old@example.org", "Omar", anaProfile(), false, &mentor);
      HttpClient bystanderHttp = world.volunteer("by@example.org", "Basile", bobProfile(), false, &bystander);
      world.server.createAccount("out@example.org", kPassword, "Olga");
      HttpClient outsider = world.server.signedIn("out@example.org", kPassword);
      for (long long id : {newcomer, mentor, bystander}) {
        world.server.grantRole(id, world.associationId, "volunteer");
      }
      // Omar completed a mission of the association; Nina and Basile are newcomers.
      long long done = world.missions().create(world.associationId, 0, missionInput("Fête de quartier"), true);
      world.server.services().db.transaction([&](soci::session& sql) {
        sql << "INSERT INTO applications (mission_id, account_id, status, created_at, updated_at) "
               "VALUES (:m, :a, 'completed', 1, 1)",
            soci::use(done), soci::use(mentor);
      });

      const std::string pairs = "/a/" + kSlug + "/matching/pairs";
      auto list = world.coordinator.get(pairs);
      REQUIRE(list.status == 200);
      CHECK(contains(list.body, "Nina"));
      CHECK(contains(list.body, "Omar"));
      CHECK(contains(list.body, "1 compétence en commun"));
      CHECK(newcomerHttp.get(pairs).status == 403);

      auto confirmed = world.coordinator.postFormWithCsrf(
          pairs, pairs, {{"newcomer_id", std::to_string(newcomer)}, {"mentor_id", std::to_string(mentor)}});
      REQUIRE(confirmed.status == 303);
      std::string pairPath = confirmed.header("location");
      CHECK(pairPath.rfind(pairs + "/", 0) == 0);
      // The mentor is not a newcomer: refused.
      CHECK(world.coordinator
                .postFormWithCsrf(pairs, pairs,
                                  {{"newcomer_id", std::to_string(mentor)}, {"mentor_id", std::to_string(mentor)}})
                .status == 422);

      auto page = newcomerHttp.get(pairPath);
      REQUIRE(page.status == 200);
      CHECK(contains(page.body, "Nina"));
      CHECK(contains(page.body, "Omar"));
      CHECK(contains(page.body, "<label for=\"note\">"));
      auto added = mentorHttp.postFormWithCsrf(pairPath + "/checkins", pairPath,
                                               {{"day", "2026-11-20"}, {"note", "Premier café ensemble"}});
      REQUIRE(added.status == 303);
      CHECK(contains(newcomerHttp.get(pairPath).body, "Premier café ensemble"));
      CHECK(contains(world.coordinator.get(pairPath).body, "Premier café ensemble"));
      auto invalid = newcomerHttp.postFormWithCsrf(pairPath + "/checkins", pairPath, {{"day", "hier"}, {"note", ""}});
      CHECK(invalid.status == 422);
      CHECK(contains(invalid.body, "role=\"alert\""));
      CHECK(contains(invalid.body, "aria-invalid=\"true\""));

      // Another member of the association: 404; someone outside it: 403.
      CHECK(bystanderHttp.get(pairPath).status == 404);
      CHECK(outsider.get(pairPath).status == 403);
      CHECK(outsider.postFormWithCsrf(pairPath + "/checkins", "/me", {{"day", "2026-11-21"}, {"note", "x"}}).status ==
            403);
      CHECK(world.server.scalar("SELECT COUNT(*) FROM matching_checkins") == 1);

      // The pair and the check-in are part of the mentor's data export.
      auto data = mentorHttp.get("/api/v1/me/data");
      REQUIRE(data.status == 200);
      auto exported = Value::parseJson(data.body)["plugins"]["matching"];
      CHECK(exported["pairs"].size() == 1);
      CHECK(exported["checkins"].size() == 1);
    }
  }
}
