#include <doctest/doctest.h>

#include <string>

#include "kernel/domain/CalendarFeed.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;

namespace {

const std::string kPassword = "correct horse battery";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

long long insertMission(TestServer& server, long long associationId, const std::string& title,
                        const std::string& description, const std::string& mode, const std::string& place,
                        const std::string& startsOn, const std::string& endsOn) {
  long long id = 0;
  long long now = ruche::storage::nowSeconds();
  server.services().db.transaction([&](soci::session& sql) {
    sql << "INSERT INTO missions (association_id, title, description, kind, mode, place, starts_on, ends_on, status, "
           "created_at, updated_at) VALUES (:a, :t, :d, 'event', :m, :p, :s, :e, 'published', :c, :u) RETURNING id",
        soci::use(associationId), soci::use(title), soci::use(description), soci::use(mode), soci::use(place),
        soci::use(startsOn), soci::use(endsOn), soci::use(now), soci::use(now), soci::into(id);
  });
  return id;
}

void apply(TestServer& server, long long missionId, long long accountId, const std::string& status) {
  long long now = ruche::storage::nowSeconds();
  server.services().db.transaction([&](soci::session& sql) {
    sql << "INSERT INTO applications (mission_id, account_id, status, created_at, updated_at) "
           "VALUES (:m, :a, :s, :c, :u)",
        soci::use(missionId), soci::use(accountId), soci::use(status), soci::use(now), soci::use(now);
  });
}

/// The path of the feed URL shown once on the page right after a reset.
std::string feedPathFrom(const std::string& html) {
  auto at = html.find("id=\"feed-url\"");
  REQUIRE(at != std::string::npos);
  auto start = html.find("value=\"", at);
  REQUIRE(start != std::string::npos);
  start += 7;
  std::string url = html.substr(start, html.find('"', start) - start);
  auto path = url.find("/calendar/");
  REQUIRE(path != std::string::npos);
  return url.substr(path);
}

/// Unfolds RFC 5545 content lines (CRLF followed by a space).
std::string unfolded(std::string text) {
  for (auto at = text.find("\r\n "); at != std::string::npos; at = text.find("\r\n ")) {
    text.erase(at, 3);
  }
  return text;
}

}  // namespace

TEST_CASE("iCalendar text values escape backslashes, semicolons, commas and newlines") {
  using ruche::domain::icalEscape;
  CHECK(icalEscape("a,b;c\\d") == "a\\,b\\;c\\\\d");
  CHECK(icalEscape("one\ntwo\r\nthree") == "one\\ntwo\\nthree");
  CHECK(icalEscape("Café à Lyon") == "Café à Lyon");
}

TEST_CASE("iCalendar lines are folded at 75 octets without cutting a UTF-8 character") {
  using ruche::domain::icalFold;
  CHECK(icalFold("SHORT:x") == "SHORT:x\r\n");
  std::string line = "SUMMARY:" + std::string(200, 'a');
  std::string folded = icalFold(line);
  std::size_t start = 0;
  for (auto end = folded.find("\r\n"); end != std::string::npos; end = folded.find("\r\n", start)) {
    CHECK(end - start <= 75);
    start = end + 2;
  }
  CHECK(unfolded(folded) == line + "\r\n");
  std::string accents = "SUMMARY:";
  for (int i = 0; i != 60; ++i) {
    accents += "é";  // two octets each
  }
  std::string foldedAccents = icalFold(accents);
  CHECK(unfolded(foldedAccents) == accents + "\r\n");
  for (auto at = foldedAccents.find("\r\n "); at != std::string::npos; at = foldedAccents.find("\r\n ", at + 1)) {
    // the octet after the break is the start of a character, not a continuation octet
    CHECK((static_cast<unsigned char>(foldedAccents[at + 3]) & 0xC0) != 0x80);
  }
}

TEST_CASE("a volunteer's calendar feed lists the missions applied to, at a secret URL that a reset replaces") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      long long association = server.createAssociation("alpha", "Alpha");
      long long volunteer = server.createAccount("vol@example.org", kPassword, "Victor Vol");
      long long other = server.createAccount("other@example.org", kPassword, "Olga Other");
      long long garden = insertMission(server, association, "Jardin, potager; et \\ compost",
                                       "Première ligne\nDeuxième ligne, avec une virgule", "onsite", "Lyon 7e",
                                       "2030-05-01", "2030-05-03");
      long long remote =
          insertMission(server, association, "Traduction", "Traduire un guide", "remote", "", "2030-06-10", "");
      long long withdrawn =
          insertMission(server, association, "Mission abandonnée", "x", "onsite", "Lyon", "2030-07-01", "");
      long long undated = insertMission(server, association, "Sans date", "x", "remote", "", "", "");
      long long someoneElse = insertMission(server, association, "Pour Olga", "x", "remote", "", "2030-08-01", "");
      apply(server, garden, volunteer, "applied");
      apply(server, remote, volunteer, "active");
      apply(server, withdrawn, volunteer, "withdrawn");
      apply(server, undated, volunteer, "applied");
      apply(server, someoneElse, other, "applied");

      auto http = server.signedIn("vol@example.org", kPassword);
      auto page = http.get("/me/calendar");
      REQUIRE(page.status == 200);
      CHECK_FALSE(contains(page.body, "id=\"feed-url\""));
      auto reset = http.postFormWithCsrf("/me/calendar/reset", "/me/calendar", {});
      REQUIRE(reset.status == 200);
      std::string path = feedPathFrom(reset.body);
      CHECK(path.size() > std::string("/calendar/.ics").size() + 30);

      auto anonymous = server.client();
      auto feed = anonymous.get(path);
      REQUIRE(feed.status == 200);
      CHECK(contains(feed.header("Content-Type"), "text/calendar"));
      const std::string& body = feed.body;
      CHECK(body.rfind("BEGIN:VCALENDAR\r\n", 0) == 0);
      CHECK(contains(body, "END:VCALENDAR\r\n"));
      for (std::size_t at = body.find('\n'); at != std::string::npos; at = body.find('\n', at + 1)) {
        REQUIRE(at > 0);
        CHECK(body[at - 1] == '\r');
      }
      std::string text = unfolded(body);
      CHECK(contains(text, "UID:mission-" + std::to_string(garden) + "@"));
      CHECK(contains(text, "DTSTART;VALUE=DATE:20300501\r\n"));
      CHECK(contains(text, "DTEND;VALUE=DATE:20300504\r\n"));
      CHECK(contains(text, "SUMMARY:Jardin\\, potager\\; et \\\\ compost\r\n"));
      CHECK(contains(text, "DESCRIPTION:Première ligne\\nDeuxième ligne\\, avec une virgule\r\n"));
      CHECK(contains(text, "LOCATION:Lyon 7e\r\n"));
      CHECK(contains(text, "UID:mission-" + std::to_string(remote) + "@"));
      CHECK(contains(text, "DTSTART;VALUE=DATE:20300610\r\nDTEND;VALUE=DATE:20300611\r\n"));
      CHECK(contains(text, "LOCATION:À distance\r\n"));
      CHECK_FALSE(contains(text, "Mission abandonnée"));
      CHECK_FALSE(contains(text, "Sans date"));
      CHECK_FALSE(contains(text, "Pour Olga"));
      CHECK(contains(text, "DTSTAMP:"));

      auto again = http.postFormWithCsrf("/me/calendar/reset", "/me/calendar", {});
      std::string newPath = feedPathFrom(again.body);
      CHECK(newPath != path);
      CHECK(anonymous.get(path).status == 404);
      CHECK(anonymous.get(newPath).status == 200);
      auto later = http.get("/me/calendar");
      CHECK_FALSE(contains(later.body, newPath));
    }
  }
}

TEST_CASE("an unknown calendar token, or a page without .ics, is not found") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      auto anonymous = server.client();
      CHECK(anonymous.get("/calendar/not-a-real-token.ics").status == 404);
      CHECK(anonymous.get("/calendar/.ics").status == 404);
      CHECK(anonymous.get("/calendar/something").status == 404);
      CHECK(anonymous.get("/me/calendar").status != 200);
    }
  }
}
