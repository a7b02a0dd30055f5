#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kernel/auth/Roles.h"
#include "kernel/domain/Associations.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

const std::string kPassword = "correct horse battery";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

long long countAssociations(TestServer& server) {
  ruche::storage::Database::Session session(server.services().db);
  long long n = 0;
  *session << "SELECT COUNT(*) FROM associations", soci::into(n);
  return n;
}

std::optional<ruche::auth::Role> roleOf(TestServer& server, long long accountId, long long associationId) {
  ruche::storage::Database::Session session(server.services().db);
  return ruche::auth::roleIn(*session, accountId, associationId);
}

const std::vector<std::string> kAdminGets = {"/admin",
                                             "/admin/federation",
                                             "/admin/associations",
                                             "/admin/associations/new",
                                             "/admin/associations/alpha/edit",
                                             "/admin/associations/alpha/members"};

const std::vector<std::string> kAdminPosts = {"/admin/federation", "/admin/associations/new",
                                              "/admin/associations/alpha/edit", "/admin/associations/alpha/members",
                                              "/admin/associations/alpha/members/1/remove"};

}  // namespace

TEST_CASE("a federation admin creates an association through the form and gives a coordinator role by e-mail") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
      long long coordinatorId = server.createAccount("coord@example.org", kPassword, "Karim Coord");
      auto http = server.signedIn("admin@example.org", kPassword);

      auto created = http.postFormWithCsrf("/admin/associations/new", "/admin/associations/new",
                                           {{"name", "Les Jardins Partagés"},
                                            {"slug", "jardins"},
                                            {"description", "Trois jardins en ville."},
                                            {"logo_url", "https://example.org/logo.png"},
                                            {"contact_email", "Bonjour@Example.org"},
                                            {"contact_phone", "04 78 00 00 00"},
                                            {"place", "Lyon"},
                                            {"charter", "Je respecte les autres jardiniers."}});
      REQUIRE(created.status == 303);
      CHECK(created.header("location") == "/admin/associations?created=1");
      auto list = http.followRedirect(created);
      CHECK(list.status == 200);
      CHECK(contains(list.body, "Les Jardins Partagés"));
      CHECK(contains(list.body, "role=\"status\""));
      ruche::domain::Associations associations(server.services().db);
      auto jardins = associations.bySlug("jardins");
      REQUIRE(jardins);
      CHECK(jardins->contactEmail == "bonjour@example.org");
      CHECK(jardins->charter == "Je respecte les autres jardiniers.");

      SUBCASE("an invalid slug is refused, naming the field") {
        auto bad = http.postFormWithCsrf("/admin/associations/new", "/admin/associations/new",
                                         {{"name", "Autre"}, {"slug", "Pas Bon!"}});
        CHECK(bad.status == 422);
        CHECK(contains(bad.body, "id=\"slug-error\""));
        CHECK(contains(bad.body, "aria-invalid=\"true\""));
        CHECK(countAssociations(server) == 1);
      }
      SUBCASE("a taken slug is refused, naming the field") {
        auto taken = http.postFormWithCsrf("/admin/associations/new", "/admin/associations/new",
                                           {{"name", "Autres jardins"}, {"slug", "jardins"}});
        CHECK(taken.status == 422);
        CHECK(contains(taken.body, "id=\"slug-error\""));
        CHECK(contains(taken.body, "value=\"Autres jardins\""));
        CHECK(countAssociations(server) == 1);
      }
      SUBCASE("a logo that is not a web address is refused") {
        auto edited =
            http.postFormWithCsrf("/admin/associations/jardins/edit", "/admin/associations/jardins/edit",
                                  {{"name", "Les Jardins"}, {"slug", "jardins"}, {"logo_url", "javascript:x"}});
        CHECK(edited.status == 422);
        CHECK(contains(edited.body, "id=\"logo_url-error\""));
        CHECK(associations.bySlug("jardins")->name == "Les Jardins Partagés");
      }

      auto granted = http.postFormWithCsrf("/admin/associations/jardins/members", "/admin/associations/jardins/members",
                                           {{"email", "Coord@Example.org"}, {"role", "coordinator"}});
      REQUIRE(granted.status == 303);
      CHECK(roleOf(server, coordinatorId, jardins->id) == ruche::auth::Role::Coordinator);
      auto members = http.followRedirect(granted);
      CHECK(contains(members.body, "coord@example.org"));

      // Granting again replaces the role rather than adding a second membership.
      http.postFormWithCsrf("/admin/associations/jardins/members", "/admin/associations/jardins/members",
                            {{"email", "coord@example.org"}, {"role", "admin"}});
      CHECK(roleOf(server, coordinatorId, jardins->id) == ruche::auth::Role::Admin);
      CHECK(associations.members(jardins->id).size() == 1);

      auto unknown = http.postFormWithCsrf("/admin/associations/jardins/members", "/admin/associations/jardins/members",
                                           {{"email", "nobody@example.org"}, {"role", "coordinator"}});
      CHECK(unknown.status == 422);
      CHECK(contains(unknown.body, "id=\"email-error\""));

      auto removed =
          http.postFormWithCsrf("/admin/associations/jardins/members/" + std::to_string(coordinatorId) + "/remove",
                                "/admin/associations/jardins/members", {});
      CHECK(removed.status == 303);
      CHECK(!roleOf(server, coordinatorId, jardins->id));

      auto renamed = http.postFormWithCsrf("/admin/federation", "/admin/federation",
                                           {{"name", "Fédération des Jardins"}, {"description", "Pour tester."}});
      CHECK(renamed.status == 303);
      CHECK(contains(server.client().get("/").body, "Fédération des Jardins"));
      auto tooShort = http.postFormWithCsrf("/admin/federation", "/admin/federation", {{"name", "F"}});
      CHECK(tooShort.status == 422);
      CHECK(contains(tooShort.body, "id=\"name-error\""));
    }
  }
}

TEST_CASE("volunteers and coordinators get 403 on every admin route and anonymous visitors get 401") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long alpha = server.createAssociation("alpha", "Alpha");
      long long volunteerId = server.createAccount("vol@example.org", kPassword, "Vol");
      long long coordinatorId = server.createAccount("coord@example.org", kPassword, "Coord");
      server.grantRole(volunteerId, alpha, "volunteer");
      server.grantRole(coordinatorId, alpha, "coordinator");

      for (const std::string email : {"vol@example.org", "coord@example.org"}) {
        CAPTURE(email);
        auto http = server.signedIn(email, kPassword);
        for (const auto& path : kAdminGets) {
          CAPTURE(path);
          CHECK(http.get(path).status == 403);
        }
        for (const auto& path : kAdminPosts) {
          CAPTURE(path);
          CHECK(http.postFormWithCsrf(path, "/", {{"name", "Pirate"}, {"slug", "pirate"}}).status == 403);
        }
        CHECK(http.get("/a/alpha/manage/settings").status == 403);
        CHECK(http.get("/a/alpha/manage/members").status == 403);
      }
      CHECK(countAssociations(server) == 1);

      auto anonymous = server.client();
      for (const auto& path : kAdminGets) {
        CAPTURE(path);
        CHECK(anonymous.get(path).status == 401);
      }
      CHECK(anonymous.get("/a/alpha/manage/settings").status == 401);
    }
  }
}

TEST_CASE("an association admin manages their own association and gets 403 on another one") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long alpha = server.createAssociation("alpha", "Alpha");
      long long beta = server.createAssociation("beta", "Beta");
      long long adminId = server.createAccount("admin-a@example.org", kPassword, "Admin A");
      long long memberId = server.createAccount("member@example.org", kPassword, "New Member");
      server.grantRole(adminId, alpha, "admin");
      auto http = server.signedIn("admin-a@example.org", kPassword);

      CHECK(http.get("/a/alpha/manage/settings").status == 200);
      auto saved = http.postFormWithCsrf("/a/alpha/manage/settings", "/a/alpha/manage/settings",
                                         {{"name", "Alpha Solidarité"}, {"slug", "hijack"}, {"place", "Lille"}});
      CHECK(saved.status == 303);
      ruche::domain::Associations associations(server.services().db);
      auto updated = associations.byId(alpha);
      REQUIRE(updated);
      CHECK(updated->name == "Alpha Solidarité");
      CHECK(updated->slug == "alpha");  // the address stays the federation's to change
      CHECK(updated->place == "Lille");

      auto granted = http.postFormWithCsrf("/a/alpha/manage/members", "/a/alpha/manage/members",
                                           {{"email", "member@example.org"}, {"role", "coordinator"}});
      CHECK(granted.status == 303);
      CHECK(roleOf(server, memberId, alpha) == ruche::auth::Role::Coordinator);

      CHECK(http.get("/a/beta/manage/settings").status == 403);
      CHECK(http.get("/a/beta/manage/members").status == 403);
      CHECK(http.postFormWithCsrf("/a/beta/manage/settings", "/a/alpha/manage/settings", {{"name", "Pris"}}).status ==
            403);
      CHECK(http.postFormWithCsrf("/a/beta/manage/members", "/a/alpha/manage/members",
                                  {{"email", "member@example.org"}, {"role", "admin"}})
                .status == 403);
      CHECK(!roleOf(server, memberId, beta));
      CHECK(associations.byId(beta)->name == "Beta");
      CHECK(http.get("/admin").status == 403);
    }
  }
}
