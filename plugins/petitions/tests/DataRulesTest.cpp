// The pure rules of the signers' data part: token hashes, postcode areas,
// the report's aggregation, months after closing.
#include <doctest/doctest.h>

#include "../src/DataRules.h"
#include "../src/TokenHash.h"

using namespace petitions;

TEST_CASE("a token is stored as its SHA-256 in hex") {
  CHECK(tokenHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(tokenHash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(tokenHash("abd") != tokenHash("abc"));
}

TEST_CASE("a link naming its signature is <id>.<secret> and nothing else reads as one") {
  CHECK(rowToken(42, "s3cr_t-") == "42.s3cr_t-");
  auto parsed = parseRowToken("42.s3cr_t-");
  REQUIRE(parsed);
  CHECK(parsed->signatureId == 42);
  CHECK(parsed->secret == "s3cr_t-");
  auto longest = parseRowToken("999999999999999999.x");  // 18 digits
  REQUIRE(longest);
  CHECK(longest->signatureId == 999999999999999999LL);
  CHECK(parseRowToken("a.b.c") == std::nullopt);
  for (const char* other : {"", "plainbase64urltoken", ".secret", "42.", "4x.secret", "-1.secret", " 1.secret",
                            "1234567890123456789.secret"}) {  // 19 digits could overflow
    CAPTURE(other);
    CHECK_FALSE(parseRowToken(other));
  }
}

TEST_CASE("the postcode area is the first two digits of a French postcode, other otherwise") {
  CHECK(postcodeArea("75011", "") == "75");
  CHECK(postcodeArea("75 011", "France") == "75");
  CHECK(postcodeArea("06000", "FR") == "06");
  CHECK(postcodeArea("97400", " france ") == "97");
  CHECK(postcodeArea("1000", "") == "other");
  CHECK(postcodeArea("7501A", "") == "other");
  CHECK(postcodeArea("", "") == "other");
  CHECK(postcodeArea("75011", "Belgique") == "other");
}

TEST_CASE("the report counts areas in order with other last, and countries case-blind, most first") {
  auto report = aggregateReport({{"75011", "France"},
                                 {"75002", "france"},
                                 {"13001", "France"},
                                 {"1000", "Belgique"},
                                 {"", ""},
                                 {"1050", " belgique"},
                                 {"2000", "Belgique"}});
  REQUIRE(report.areas.size() == 3);
  CHECK(report.areas[0] == ReportLine{"13", 1});
  CHECK(report.areas[1] == ReportLine{"75", 2});
  CHECK(report.areas[2] == ReportLine{"other", 4});
  REQUIRE(report.countries.size() == 3);
  CHECK(report.countries[0] == ReportLine{"Belgique", 3});  // a tie: by name
  CHECK(report.countries[1] == ReportLine{"France", 3});
  CHECK(report.countries[2] == ReportLine{"", 1});
}

TEST_CASE("months after closing are calendar months, the day clamped to the month's end") {
  CHECK(addMonths("2024-08-31", 6) == "2025-02-28");
  CHECK(addMonths("2023-08-31", 6) == "2024-02-29");
  CHECK(addMonths("2024-01-15", 12) == "2025-01-15");
  CHECK(addMonths("2024-11-30", 1) == "2024-12-30");
  CHECK(addMonths("2024-12-01", 0) == "2024-12-01");
  long long closed = startOfDay("2024-03-10") + 3600;
  CHECK(dayOf(closed) == "2024-03-10");
  CHECK_FALSE(erasureDue(closed, 6, "2024-09-09"));
  CHECK(erasureDue(closed, 6, "2024-09-10"));
  CHECK(startOfDay("1970-01-02") == 86400);
}
