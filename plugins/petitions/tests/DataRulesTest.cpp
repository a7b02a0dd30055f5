// The pure rules of the signers' data part: token hashes, postcode areas,
// the report's aggregation, months after closing.
#include <doctest/doctest.h>

#include <cstdint>
#include <set>

#include "../src/DataRules.h"
#include "../src/LinkIds.h"
#include "../src/TokenHash.h"

using namespace petitions;

TEST_CASE("a token is stored as its SHA-256 in hex") {
  CHECK(tokenHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(tokenHash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(tokenHash("abd") != tokenHash("abc"));
}

TEST_CASE("a link naming its signature is <16 hex digits>.<secret> and nothing else reads as one") {
  CHECK(rowToken(0x2a, "s3cr_t-") == "000000000000002a.s3cr_t-");
  auto parsed = parseRowToken("00000000000000ff.s3cr_t-");
  REQUIRE(parsed);
  CHECK(parsed->selector == 0xff);
  CHECK(parsed->secret == "s3cr_t-");
  auto largest = parseRowToken("ffffffffffffffff.x");
  REQUIRE(largest);
  CHECK(largest->selector == 0xffffffffffffffffULL);
  for (const char* other :
       {"", "plainbase64urltoken", ".secret", "000000000000002a.", "000000000000002A.secret", "00000000000002a.secret",
        "0000000000000002a.secret", "00000000000000g0.secret", "42.secret"}) {
    CAPTURE(other);
    CHECK_FALSE(parseRowToken(other));
  }
}

TEST_CASE("a link's hidden id is a keyed permutation: undone with the key, unordered and key-dependent without") {
  LinkIds ids("the plugin's secret");
  std::set<std::uint64_t> seen;
  int increasing = 0;
  std::uint64_t previous = 0;
  for (std::uint64_t id = 1; id <= 1000; ++id) {
    std::uint64_t selector = ids.hide(id);
    CHECK(ids.reveal(selector) == id);
    CHECK(selector != id);
    seen.insert(selector);
    increasing += selector > previous ? 1 : 0;
    previous = selector;
  }
  CHECK(seen.size() == 1000);  // no two ids share a selector
  // Neighbouring ids are not neighbours: about half the steps go up.
  CHECK(increasing > 400);
  CHECK(increasing < 600);
  for (std::uint64_t selector : {std::uint64_t{0}, std::uint64_t{0xffffffffffffffffULL}, std::uint64_t{1} << 63}) {
    CHECK(ids.hide(ids.reveal(selector)) == selector);
  }
  LinkIds other("another secret");
  CHECK(other.hide(1) != ids.hide(1));
  CHECK(LinkIds("the plugin's secret").hide(77) == ids.hide(77));
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
