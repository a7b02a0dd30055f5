// Pages must stay light for old phones and slow connections: each main page
// type, with the stylesheets it links, weighs at most 100 KB (images aside),
// in the default theme and in the contrast theme with easy-to-read on.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>

#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

const std::string kPassword = "correct horse battery";
constexpr std::size_t kMaxPageBytes = 100 * 1024;

/// The page's body plus every stylesheet it links (each fetched once).
std::size_t pageWeight(HttpClient& http, const std::string& path, int& status) {
  auto page = http.get(path);
  status = page.status;
  std::size_t total = page.body.size();
  std::regex link("<link rel=\"stylesheet\" href=\"([^\"]+)\">");
  for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), link); it != std::sregex_iterator(); ++it) {
    auto css = http.get((*it)[1]);
    REQUIRE(css.status == 200);
    total += css.body.size();
  }
  return total;
}

}  // namespace

TEST_CASE("every main page type weighs at most 100 KB with its stylesheets") {
  TestServer server(Backend::Sqlite);
  long long admin = server.createAccount("admin@example.org", kPassword, "Alice", true);
  long long association = server.createAssociation("jardins", "Les Jardins partagés du quartier");
  server.grantRole(admin, association, "admin");
  long long missionId = 0;
  long long now = ruche::storage::nowSeconds();
  server.services().db.transaction([&](soci::session& sql) {
    // A full first page of results: long titles and descriptions.
    for (int i = 0; i < 40; ++i) {
      std::string title = "Mission " + std::to_string(i) + " : accueil et orientation du public au jardin";
      std::string description(1500, 'x');
      sql << "INSERT INTO missions (association_id, title, description, kind, mode, status, created_at, "
             "updated_at) VALUES (:a, :t, :d, 'regular', 'remote', 'published', :c, :u) RETURNING id",
          soci::use(association), soci::use(title), soci::use(description), soci::use(now), soci::use(now),
          soci::into(missionId);
    }
  });
  std::string mission = "/missions/" + std::to_string(missionId);
  const std::vector<std::string> anonymousPages = {"/",       "/missions", mission, "/a/jardins",
                                                   "/signup", "/login",    "/reset"};
  const std::vector<std::string> signedInPages = {"/me",
                                                  "/me/profile",
                                                  mission + "/apply",
                                                  "/me/applications",
                                                  "/a/jardins/manage",
                                                  "/a/jardins/manage/missions",
                                                  "/a/jardins/manage/branding",
                                                  "/admin"};
  for (const std::string& look : {std::string(""), std::string("?contrast=on&falc=on")}) {
    CAPTURE(look);
    auto anonymous = server.client();
    auto alice = server.signedIn("admin@example.org", kPassword);
    if (!look.empty()) {
      anonymous.get("/" + look);
      alice.get("/" + look);
    }
    for (auto [http, pages] : {std::pair{&anonymous, &anonymousPages}, std::pair{&alice, &signedInPages}}) {
      for (const auto& path : *pages) {
        CAPTURE(path);
        int status = 0;
        std::size_t weight = pageWeight(*http, path, status);
        CHECK(status == 200);
        CHECK(weight <= kMaxPageBytes);
        MESSAGE(path << look << ": " << weight << " bytes");
      }
    }
  }
}
