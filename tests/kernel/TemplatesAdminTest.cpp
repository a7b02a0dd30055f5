#include <doctest/doctest.h>

#include <string>

#include "kernel/domain/MissionTemplates.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

const std::string kPassword = "correct horse battery";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

long long countRows(TestServer& server, const std::string& table) {
  ruche::storage::Database::Session session(server.services().db);
  long long n = 0;
  *session << "SELECT COUNT(*) FROM " + table, soci::into(n);
  return n;
}

}  // namespace

TEST_CASE("a federation admin creates a mission template and a coordinator starts a mission from it") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
      long long coordinatorId = server.createAccount("coord@example.org", kPassword, "Karim Coord");
      long long associationId = server.createAssociation("jardins", "Les Jardins");
      server.grantRole(coordinatorId, associationId, "coordinator");
      auto admin = server.signedIn("admin@example.org", kPassword);

      CHECK(contains(admin.get("/admin").body, "href=\"/admin/templates\""));
      auto created = admin.postFormWithCsrf("/admin/templates/new", "/admin/templates/new",
                                            {{"title", "Accueil du public en festival"},
                                             {"description", "Accueillir et orienter le public à l'entrée."},
                                             {"kind", "event"},
                                             {"mode", "onsite"},
                                             {"duration_minutes", "180"}});
      REQUIRE(created.status == 303);
      CHECK(created.header("location") == "/admin/templates?done=created");
      auto list = admin.followRedirect(created);
      CHECK(list.status == 200);
      CHECK(contains(list.body, "Accueil du public en festival"));
      CHECK(contains(list.body, "role=\"status\""));

      ruche::domain::MissionTemplates templates(server.services().db);
      auto all = templates.list();
      REQUIRE(all.size() == 1);
      CHECK(all[0].kind == "event");
      CHECK(all[0].durationMinutes == 180);
      std::string id = std::to_string(all[0].id);

      SUBCASE("the coordinator sees it offered and prefilled") {
        auto coordinator = server.signedIn("coord@example.org", kPassword);
        auto missions = coordinator.get("/a/jardins/manage/missions");
        CHECK(missions.status == 200);
        CHECK(contains(missions.body, "/a/jardins/manage/missions/new?template=" + id));
        auto form = coordinator.get("/a/jardins/manage/missions/new?template=" + id);
        CHECK(form.status == 200);
        CHECK(contains(form.body, "value=\"Accueil du public en festival\""));
        CHECK(contains(form.body, "value=\"180\""));
        CHECK(coordinator.get("/a/jardins/manage/missions/new?template=999999").status == 404);
      }
      SUBCASE("the admin edits it, then deletes it") {
        auto saved = admin.postFormWithCsrf("/admin/templates/" + id + "/edit", "/admin/templates/" + id + "/edit",
                                            {{"title", "Accueil en festival"},
                                             {"description", "Accueillir et orienter le public à l'entrée."},
                                             {"kind", "event"},
                                             {"mode", "hybrid"},
                                             {"duration_minutes", ""}});
        REQUIRE(saved.status == 303);
        auto edited = templates.byId(all[0].id);
        REQUIRE(edited);
        CHECK(edited->title == "Accueil en festival");
        CHECK(edited->mode == "hybrid");
        CHECK(edited->durationMinutes == 0);
        auto deleted = admin.postFormWithCsrf("/admin/templates/" + id + "/delete", "/admin/templates", {});
        REQUIRE(deleted.status == 303);
        CHECK_FALSE(templates.byId(all[0].id));
        CHECK(admin.get("/admin/templates/" + id + "/edit").status == 404);
      }
      SUBCASE("a post without the CSRF token writes nothing") {
        auto forged = admin.postForm("/admin/templates/new", {{"title", "Sans jeton"},
                                                              {"description", "Une description assez longue."},
                                                              {"kind", "micro"},
                                                              {"mode", "remote"}});
        CHECK(forged.status == 403);
        CHECK(countRows(server, "mission_templates") == 1);
      }
    }
  }
}

TEST_CASE("an invalid mission template is refused with 422 naming each field and nothing is written") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
      auto admin = server.signedIn("admin@example.org", kPassword);
      auto bad = admin.postFormWithCsrf("/admin/templates/new", "/admin/templates/new",
                                        {{"title", "A"},
                                         {"description", "court"},
                                         {"kind", "weekly"},
                                         {"mode", "onsite"},
                                         {"duration_minutes", "beaucoup"}});
      CHECK(bad.status == 422);
      CHECK(contains(bad.body, "id=\"title-error\""));
      CHECK(contains(bad.body, "id=\"description-error\""));
      CHECK(contains(bad.body, "id=\"kind-error\""));
      CHECK(contains(bad.body, "id=\"duration_minutes-error\""));
      CHECK_FALSE(contains(bad.body, "id=\"mode-error\""));
      CHECK(contains(bad.body, "role=\"alert\""));
      CHECK(contains(bad.body, "value=\"A\""));
      CHECK(countRows(server, "mission_templates") == 0);
    }
  }
}

TEST_CASE("a federation admin adds a skill that then appears in the missions search") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
      auto admin = server.signedIn("admin@example.org", kPassword);
      long long before = countRows(server, "skills");

      auto added = admin.postFormWithCsrf(
          "/admin/skills", "/admin/skills",
          {{"slug", "sign-language"}, {"name_fr", "Langue des signes"}, {"name_en", "Sign language"}});
      REQUIRE(added.status == 303);
      CHECK(added.header("location") == "/admin/skills?done=added");
      auto page = admin.followRedirect(added);
      CHECK(contains(page.body, "Langue des signes"));
      CHECK(countRows(server, "skills") == before + 1);

      auto search = server.client().get("/missions");
      CHECK(search.status == 200);
      CHECK(contains(search.body, "<option value=\"sign-language\""));
      CHECK(contains(search.body, "Langue des signes"));

      SUBCASE("a taken slug is refused with 422 and nothing is written") {
        auto duplicate = admin.postFormWithCsrf(
            "/admin/skills", "/admin/skills",
            {{"slug", "sign-language"}, {"name_fr", "Secourisme"}, {"name_en", "Rescue"}});
        CHECK(duplicate.status == 422);
        CHECK(contains(duplicate.body, "id=\"slug-error\""));
        CHECK(contains(duplicate.body, "value=\"Secourisme\""));
        CHECK(countRows(server, "skills") == before + 1);
      }
      SUBCASE("names too short are refused, naming both fields") {
        auto shortNames = admin.postFormWithCsrf("/admin/skills", "/admin/skills",
                                                 {{"slug", "x-ray"}, {"name_fr", "X"}, {"name_en", ""}});
        CHECK(shortNames.status == 422);
        CHECK(contains(shortNames.body, "id=\"name_fr-error\""));
        CHECK(contains(shortNames.body, "id=\"name_en-error\""));
        CHECK(countRows(server, "skills") == before + 1);
      }
      SUBCASE("a rename changes both names and keeps the slug") {
        long long id = 0;
        {
          ruche::storage::Database::Session session(server.services().db);
          *session << "SELECT id FROM skills WHERE slug = 'sign-language'", soci::into(id);
        }
        std::string path = "/admin/skills/" + std::to_string(id);
        auto renamed =
            admin.postFormWithCsrf(path, "/admin/skills", {{"name_fr", "Secourisme"}, {"name_en", "Sign language"}});
        REQUIRE(renamed.status == 303);
        CHECK(contains(admin.followRedirect(renamed).body, "Secourisme"));
        auto invalid = admin.postFormWithCsrf(path, "/admin/skills", {{"name_fr", ""}, {"name_en", "Sign language"}});
        CHECK(invalid.status == 422);
        CHECK(contains(invalid.body, "id=\"name_fr-" + std::to_string(id) + "-error\""));
        CHECK(contains(invalid.body, "href=\"#name_fr-" + std::to_string(id) + "\""));
        CHECK(admin.postFormWithCsrf("/admin/skills/999999", "/admin/skills", {{"name_fr", "Nom"}, {"name_en", "Name"}})
                  .status == 404);
      }
    }
  }
}

TEST_CASE("a federation admin adds a cause, and a cause slug is unique only within the causes list") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
      auto admin = server.signedIn("admin@example.org", kPassword);
      long long before = countRows(server, "causes");
      // "writing" is a starting skill, not a cause: the lists are separate.
      auto added = admin.postFormWithCsrf("/admin/causes", "/admin/causes",
                                          {{"slug", "writing"}, {"name_fr", "Écriture"}, {"name_en", "Writing"}});
      REQUIRE(added.status == 303);
      CHECK(countRows(server, "causes") == before + 1);
      auto duplicate = admin.postFormWithCsrf("/admin/causes", "/admin/causes",
                                              {{"slug", "environment"}, {"name_fr", "Nature"}, {"name_en", "Nature"}});
      CHECK(duplicate.status == 422);
      CHECK(contains(duplicate.body, "id=\"slug-error\""));
      CHECK(countRows(server, "causes") == before + 1);
    }
  }
}
