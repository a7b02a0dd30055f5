#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "kernel/domain/MissionTemplates.h"
#include "kernel/domain/Missions.h"
#include "kernel/domain/SearchText.h"
#include "kernel/http/HttpError.h"
#include "kernel/web/AnonymousPageCache.h"
#include "tests/kernel/TestServer.h"

using namespace ruche;
using ruche::testing::allBackends;
using ruche::testing::backendName;
using ruche::testing::TestServer;

namespace {

domain::MissionInput sampleMission(const std::string& title) {
  domain::MissionInput input;
  input.title = title;
  input.description = "Une mission utile pour la fédération.";
  input.kind = "regular";
  input.mode = "onsite";
  input.place = "Lyon";
  input.placesAvailable = "2";
  return input;
}

std::set<std::string> titlesOf(const domain::MissionPage& page) {
  std::set<std::string> titles;
  for (const auto& mission : page.missions) {
    titles.insert(mission.title);
  }
  return titles;
}

std::set<std::string> fieldsOf(const http::HttpError& error) {
  std::set<std::string> fields;
  for (const auto& field : error.fields()) {
    fields.insert(field.field);
  }
  return fields;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("mission search filters by skill, cause, remote, association, text and date, with page totals") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      long long biblio = server.createAssociation("biblio", "Biblio Pour Tous");
      domain::Missions missions(server.services().db);

      auto cooking = sampleMission("Cuisine du mardi");
      cooking.requiredSkills = {"cooking"};
      cooking.causes = {"solidarity"};
      cooking.startsOn = "2030-03-01";
      missions.create(resto, 0, cooking, true);

      auto translation = sampleMission("Traduire des fiches");
      translation.mode = "remote";
      translation.place = "";
      translation.niceSkills = {"translation"};
      translation.causes = {"education"};
      translation.startsOn = "2030-01-10";
      translation.languages = {{"en", true}, {"fr", false}};
      missions.create(biblio, 0, translation, true);

      auto hybrid = sampleMission("Lecture à voix haute");
      hybrid.mode = "hybrid";
      hybrid.description = "Lire des CONTES aux enfants, en ligne ou sur place.";
      missions.create(biblio, 0, hybrid, true);  // no date

      missions.create(resto, 0, sampleMission("Brouillon caché"), false);

      domain::MissionQuery all;
      auto page = missions.search(all);
      CHECK(page.total == 3);
      REQUIRE(page.missions.size() == 3);
      // Dated missions first, soonest first; undated last.
      CHECK(page.missions[0].title == "Traduire des fiches");
      CHECK(page.missions[1].title == "Cuisine du mardi");
      CHECK(page.missions[2].title == "Lecture à voix haute");
      CHECK(page.missions[0].associationSlug == "biblio");
      CHECK(page.missions[0].niceSkills == std::vector<std::string>{"translation"});
      REQUIRE(page.missions[0].languages.size() == 2);
      CHECK(page.missions[0].languages[0].language == "en");
      CHECK(page.missions[0].languages[0].required);

      domain::MissionQuery bySkill;
      bySkill.skill = "cooking";
      CHECK(titlesOf(missions.search(bySkill)) == std::set<std::string>{"Cuisine du mardi"});

      domain::MissionQuery byCause;
      byCause.cause = "education";
      CHECK(titlesOf(missions.search(byCause)) == std::set<std::string>{"Traduire des fiches"});

      domain::MissionQuery remote;
      remote.remoteOnly = true;
      CHECK(titlesOf(missions.search(remote)) == std::set<std::string>{"Traduire des fiches", "Lecture à voix haute"});

      domain::MissionQuery byMode;
      byMode.mode = "onsite";
      CHECK(titlesOf(missions.search(byMode)) == std::set<std::string>{"Cuisine du mardi"});

      domain::MissionQuery byAssociation;
      byAssociation.association = "resto";
      CHECK(titlesOf(missions.search(byAssociation)) == std::set<std::string>{"Cuisine du mardi"});

      domain::MissionQuery byText;
      byText.text = "contes";
      CHECK(titlesOf(missions.search(byText)) == std::set<std::string>{"Lecture à voix haute"});
      byText.text = "100%";
      CHECK(missions.search(byText).total == 0);

      domain::MissionQuery byDate;
      byDate.from = "2030-02-01";
      CHECK(titlesOf(missions.search(byDate)) == std::set<std::string>{"Cuisine du mardi", "Lecture à voix haute"});

      domain::MissionQuery paged;
      paged.perPage = 2;
      paged.page = 2;
      auto second = missions.search(paged);
      CHECK(second.total == 3);
      CHECK(second.missions.size() == 1);
      CHECK(second.missions[0].title == "Lecture à voix haute");
      paged.perPage = 1000;  // clamped to 100
      CHECK(missions.search(paged).perPage == 100);
    }
  }
}

TEST_CASE("invalid mission input is refused with every bad field named") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      long long stranger = server.createAccount("stranger@example.org", "longpassword1", "Stranger");
      domain::Missions missions(server.services().db);
      domain::MissionInput bad;
      bad.title = "ab";
      bad.description = "court";
      bad.kind = "weekly";
      bad.mode = "onsite";
      bad.place = "";
      bad.startsOn = "2030-05-10";
      bad.endsOn = "2030-05-01";
      bad.schedule = std::string(201, 'x');
      bad.durationMinutes = "abc";
      bad.placesAvailable = "0";
      bad.referentAccountId = std::to_string(stranger);
      bad.requiredSkills = {"juggling"};
      bad.niceSkills = {"knitting"};
      bad.causes = {"nothing"};
      bad.languages = {{"french", true}};
      try {
        missions.create(resto, 0, bad, false);
        FAIL("create accepted invalid input");
      } catch (const http::HttpError& error) {
        CHECK(error.status() == 422);
        CHECK(fieldsOf(error) == std::set<std::string>{"title", "description", "kind", "place", "ends_on", "schedule",
                                                       "duration_minutes", "places_available", "referent_account_id",
                                                       "required_skills", "nice_skills", "causes", "languages"});
      }
      auto micro = sampleMission("Micro tâche");
      micro.kind = "micro";
      micro.durationMinutes = "120";
      try {
        missions.create(resto, 0, micro, false);
        FAIL("a two-hour micro mission was accepted");
      } catch (const http::HttpError& error) {
        CHECK(fieldsOf(error) == std::set<std::string>{"duration_minutes"});
      }
      CHECK(missions.ofAssociation(resto).empty());
    }
  }
}

TEST_CASE("mission status moves draft to published to closed and nothing else") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      domain::Missions missions(server.services().db);
      long long id = missions.create(resto, 0, sampleMission("Une mission"), false);
      auto before = domain::Missions::generation();
      missions.setStatus(id, "published");
      CHECK(domain::Missions::generation() > before);
      CHECK(missions.byId(id)->status == "published");
      try {
        missions.setStatus(id, "draft");
        FAIL("published went back to draft");
      } catch (const http::HttpError& error) {
        CHECK(error.status() == 409);
      }
      missions.setStatus(id, "closed");
      try {
        missions.setStatus(id, "published");
        FAIL("closed was published again");
      } catch (const http::HttpError& error) {
        CHECK(error.status() == 409);
      }
      try {
        missions.setStatus(id, "archived");
        FAIL("unknown status accepted");
      } catch (const http::HttpError& error) {
        CHECK(error.status() == 422);
      }
      long long other = missions.create(resto, 0, sampleMission("Autre mission"), false);
      missions.setStatus(other, "closed");
      CHECK(missions.byId(other)->status == "closed");
    }
  }
}

TEST_CASE("draft missions are not in search and their page is 404 for anonymous visitors") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      long long coordinator = server.createAccount("coord@example.org", "longpassword1", "Coord");
      server.grantRole(coordinator, resto, "coordinator");
      domain::Missions missions(server.services().db);
      long long draft = missions.create(resto, 0, sampleMission("Mission en brouillon"), false);
      long long published = missions.create(resto, 0, sampleMission("Mission publiée"), true);

      auto anonymous = server.client();
      auto search = anonymous.get("/missions");
      CHECK(search.status == 200);
      CHECK(contains(search.body, "Mission publiée"));
      CHECK_FALSE(contains(search.body, "Mission en brouillon"));
      CHECK(anonymous.get("/missions/" + std::to_string(draft)).status == 404);
      auto page = anonymous.get("/missions/" + std::to_string(published));
      CHECK(page.status == 200);
      CHECK(contains(page.body, "/missions/" + std::to_string(published) + "/apply"));
      auto association = anonymous.get("/a/resto");
      CHECK(association.status == 200);
      CHECK(contains(association.body, "Mission publiée"));
      CHECK_FALSE(contains(association.body, "Mission en brouillon"));

      auto coord = server.signedIn("coord@example.org", "longpassword1");
      auto preview = coord.get("/missions/" + std::to_string(draft));
      CHECK(preview.status == 200);
      CHECK_FALSE(contains(preview.body, "/apply"));
    }
  }
}

TEST_CASE("coordinators of another association and volunteers cannot reach the manage pages") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      long long biblio = server.createAssociation("biblio", "Biblio");
      long long other = server.createAccount("other@example.org", "longpassword1", "Other");
      server.grantRole(other, biblio, "coordinator");
      long long volunteer = server.createAccount("vol@example.org", "longpassword1", "Vol");
      server.grantRole(volunteer, resto, "volunteer");
      long long mission = domain::Missions(server.services().db).create(resto, 0, sampleMission("À Resto"), false);
      long long biblioMission =
          domain::Missions(server.services().db).create(biblio, 0, sampleMission("À Biblio"), false);
      std::string edit = "/a/resto/manage/missions/" + std::to_string(mission) + "/edit";

      auto otherClient = server.signedIn("other@example.org", "longpassword1");
      CHECK(otherClient.get("/a/resto/manage/missions/new").status == 403);
      CHECK(otherClient.get(edit).status == 403);
      CHECK(otherClient.get("/a/biblio/manage/missions/new").status == 200);
      // A mission of another association, through one's own association's URL: 404.
      CHECK(otherClient.get("/a/biblio/manage/missions/" + std::to_string(mission) + "/edit").status == 404);
      CHECK(otherClient.get("/a/biblio/manage/missions/" + std::to_string(biblioMission) + "/edit").status == 200);

      auto volunteerClient = server.signedIn("vol@example.org", "longpassword1");
      CHECK(volunteerClient.get("/a/resto/manage/missions/new").status == 403);
      CHECK(volunteerClient.get(edit).status == 403);
      CHECK(volunteerClient.get("/a/resto/manage").status == 403);
      CHECK(server.client().get("/a/resto/manage/missions").status == 401);
    }
  }
}

TEST_CASE("a coordinator creates a mission with the form and it is listed once published") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      long long coordinator = server.createAccount("coord@example.org", "longpassword1", "Coord");
      server.grantRole(coordinator, resto, "coordinator");
      auto coord = server.signedIn("coord@example.org", "longpassword1");
      auto anonymous = server.client();
      CHECK_FALSE(contains(anonymous.get("/missions").body, "Maraude du jeudi"));

      auto invalid = coord.postFormWithCsrf("/a/resto/manage/missions/new", "/a/resto/manage/missions/new",
                                            {{"title", "M"}, {"kind", "regular"}, {"mode", "onsite"}});
      CHECK(invalid.status == 422);
      CHECK(contains(invalid.body, "id=\"title-error\""));
      CHECK(contains(invalid.body, "id=\"description-error\""));

      auto created = coord.postFormWithCsrf("/a/resto/manage/missions/new", "/a/resto/manage/missions/new",
                                            {{"title", "Maraude du jeudi"},
                                             {"description", "Aller à la rencontre des personnes à la rue."},
                                             {"kind", "regular"},
                                             {"mode", "onsite"},
                                             {"place", "Lyon 7e"},
                                             {"starts_on", "2030-01-01"},
                                             {"places_available", "4"},
                                             {"required_skills", "listening"},
                                             {"nice_skills", "first-aid"},
                                             {"causes", "solidarity"},
                                             {"languages", "fr:required, en"}});
      REQUIRE(created.status == 303);
      auto missions = domain::Missions(server.services().db).ofAssociation(resto);
      REQUIRE(missions.size() == 1);
      CHECK(missions[0].status == "draft");
      CHECK(missions[0].requiredSkills == std::vector<std::string>{"listening"});
      CHECK(missions[0].languages.size() == 2);
      CHECK_FALSE(contains(anonymous.get("/missions").body, "Maraude du jeudi"));

      std::string id = std::to_string(missions[0].id);
      auto published =
          coord.postFormWithCsrf("/a/resto/manage/missions/" + id + "/publish", "/a/resto/manage/missions", {});
      CHECK(published.status == 303);
      auto search = anonymous.get("/missions?skill=listening");
      CHECK(search.status == 200);
      CHECK(contains(search.body, "Maraude du jeudi"));
      CHECK(anonymous.get("/missions/" + id).status == 200);

      auto edited =
          coord.postFormWithCsrf("/a/resto/manage/missions/" + id + "/edit", "/a/resto/manage/missions/" + id + "/edit",
                                 {{"title", "Maraude du vendredi"},
                                  {"description", "Aller à la rencontre des personnes à la rue."},
                                  {"kind", "regular"},
                                  {"mode", "onsite"},
                                  {"place", "Lyon 7e"}});
      CHECK(edited.status == 303);
      CHECK(contains(anonymous.get("/missions").body, "Maraude du vendredi"));

      auto closed = coord.postFormWithCsrf("/a/resto/manage/missions/" + id + "/close", "/a/resto/manage/missions", {});
      CHECK(closed.status == 303);
      CHECK_FALSE(contains(anonymous.get("/missions").body, "Maraude du vendredi"));
    }
  }
}

TEST_CASE("the new-mission form without its CSRF token is refused") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      long long coordinator = server.createAccount("coord@example.org", "longpassword1", "Coord");
      server.grantRole(coordinator, resto, "coordinator");
      auto coord = server.signedIn("coord@example.org", "longpassword1");
      auto response =
          coord.postForm("/a/resto/manage/missions/new", {{"title", "Sans jeton"},
                                                          {"description", "Cette mission ne doit pas être créée."},
                                                          {"kind", "regular"},
                                                          {"mode", "remote"},
                                                          {"publish", "1"}});
      CHECK(response.status == 403);
      CHECK(domain::Missions(server.services().db).ofAssociation(resto).empty());
    }
  }
}

TEST_CASE("invalid search filters are named and no results are shown") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long resto = server.createAssociation("resto", "Les Restos");
      domain::Missions(server.services().db).create(resto, 0, sampleMission("Visible"), true);
      auto anonymous = server.client();
      auto response = anonymous.get("/missions?skill=juggling&mode=flying&from=2030-02-30&association=none");
      CHECK(response.status == 422);
      CHECK(contains(response.body, "id=\"skill-error\""));
      CHECK(contains(response.body, "id=\"mode-error\""));
      CHECK(contains(response.body, "id=\"from-error\""));
      CHECK(contains(response.body, "id=\"association-error\""));
      CHECK_FALSE(contains(response.body, "Visible"));
    }
  }
}

TEST_CASE("search pages keep the filters in their pagination links") {
  TestServer server(ruche::testing::Backend::Sqlite);
  long long resto = server.createAssociation("resto", "Les Restos");
  domain::Missions missions(server.services().db);
  for (int i = 0; i < 23; ++i) {
    auto input = sampleMission("Mission numéro " + std::to_string(i));
    input.requiredSkills = {"cooking"};
    missions.create(resto, 0, input, true);
  }
  auto anonymous = server.client();
  auto first = anonymous.get("/missions?skill=cooking");
  CHECK(first.status == 200);
  CHECK(contains(first.body, "23 missions"));
  CHECK(contains(first.body, "/missions?skill=cooking&amp;page=2"));
  auto second = anonymous.get("/missions?skill=cooking&page=2");
  CHECK(contains(second.body, "Mission numéro 22"));
  CHECK_FALSE(contains(second.body, "Mission numéro 0<"));
}

TEST_CASE("the anonymous search page cache shows a new mission at once") {
  TestServer server(ruche::testing::Backend::Sqlite);
  long long resto = server.createAssociation("resto", "Les Restos");
  auto anonymous = server.client();
  CHECK(contains(anonymous.get("/missions").body, "0 mission"));
  domain::Missions(server.services().db).create(resto, 0, sampleMission("Toute nouvelle"), true);
  CHECK(contains(anonymous.get("/missions").body, "Toute nouvelle"));
}

TEST_CASE("the anonymous page cache forgets entries after their time and keeps to its capacity") {
  web::AnonymousPageCache cache(std::chrono::milliseconds(50), 2);
  cache.store("a", {200, "text/html", "A"});
  REQUIRE(cache.find("a"));
  CHECK(cache.find("a")->body == "A");
  cache.store("b", {200, "text/html", "B"});
  cache.store("c", {200, "text/html", "C"});
  CHECK(cache.size() == 2);
  CHECK_FALSE(cache.find("a"));  // the oldest went first
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  CHECK_FALSE(cache.find("c"));
}

TEST_CASE("a mission template prefills the new-mission form") {
  TestServer server(ruche::testing::Backend::Sqlite);
  long long resto = server.createAssociation("resto", "Les Restos");
  long long coordinator = server.createAccount("coord@example.org", "longpassword1", "Coord");
  server.grantRole(coordinator, resto, "coordinator");
  domain::MissionTemplates templates(server.services().db);
  long long id =
      templates.create({"Relecture de documents", "Relire et corriger un document court.", "micro", "remote", "30"});
  CHECK_THROWS_AS(templates.create({"x", "", "weekly", "remote", ""}), http::HttpError);
  auto input = domain::MissionTemplates::instantiate(*templates.byId(id));
  CHECK(input.kind == "micro");
  CHECK(input.durationMinutes == "30");
  auto coord = server.signedIn("coord@example.org", "longpassword1");
  auto form = coord.get("/a/resto/manage/missions/new?template=" + std::to_string(id));
  CHECK(form.status == 200);
  CHECK(contains(form.body, "value=\"Relecture de documents\""));
  CHECK(coord.get("/a/resto/manage/missions/new?template=999").status == 404);
}

TEST_CASE("text search ignores case and accents on both backends") {
  CHECK(ruche::domain::foldForSearch("École PÉDAGOGIQUE — Œuvre") == "ecole pedagogique — oeuvre");
  for (auto backend : ruche::testing::allBackends()) {
    SUBCASE(ruche::testing::backendName(backend)) {
      ruche::testing::TestServer server(backend);
      long long association = server.createAssociation("ecoles", "Écoles");
      ruche::domain::MissionInput input;
      input.title = "Aide aux devoirs à l'École Jules-Ferry";
      input.description = "Accompagner des élèves de CM2 après la classe.";
      input.kind = "regular";
      input.mode = "onsite";
      input.place = "Rennes";
      input.placesAvailable = "2";
      ruche::domain::Missions missions(server.services().db);
      missions.create(association, 0, input, true);
      for (const char* words : {"école", "ECOLE", "Élèves", "ecole jules"}) {
        ruche::domain::MissionQuery query;
        query.text = words;
        INFO(words);
        CHECK(missions.search(query).total == 1);
      }
      ruche::domain::MissionQuery none;
      none.text = "collège";
      CHECK(missions.search(none).total == 0);
    }
  }
}
