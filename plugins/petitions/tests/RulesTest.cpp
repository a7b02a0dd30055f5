// The petitions plugin's pure rules: no kernel, no database.
#include <doctest/doctest.h>

#include <set>

#include "../src/Csv.h"
#include "../src/Email.h"
#include "../src/PgArray.h"
#include "../src/Rules.h"

using namespace petitions;

TEST_CASE("an e-mail is trimmed, its domain lower-cased, its local part kept, and its key wholly lower-case") {
  auto email = normaliseEmail("  Ana.Lopez+petition@Example.ORG \n");
  REQUIRE(email);
  CHECK(email->address == "Ana.Lopez+petition@example.org");
  CHECK(email->key == "ana.lopez+petition@example.org");
}

TEST_CASE("gmail dots are not removed from an e-mail") {
  auto dotted = normaliseEmail("a.na@gmail.com");
  auto plain = normaliseEmail("ana@gmail.com");
  REQUIRE(dotted);
  REQUIRE(plain);
  CHECK(dotted->key != plain->key);
}

TEST_CASE("malformed e-mails are refused") {
  for (const char* bad : {"", "ana", "ana@", "@example.org", "ana@example", "ana@@example.org", "a na@example.org",
                          "ana@exa mple.org", "ana@-example.org", "ana@example..org", ".ana@example.org",
                          "an..a@example.org", "ana@example.org>", "ana@exa_mple.org"}) {
    CAPTURE(bad);
    CHECK_FALSE(normaliseEmail(bad));
  }
  CHECK_FALSE(normaliseEmail(std::string(65, 'a') + "@example.org"));
  CHECK_FALSE(normaliseEmail("a@" + std::string(250, 'b') + ".org"));
  CHECK(normaliseEmail(std::string(64, 'a') + "@example.org"));
}

TEST_CASE("a CSV cell is quoted only when it needs it, with its quotes doubled") {
  CHECK(csvCell("Ana") == "Ana");
  CHECK(csvCell("") == "");
  CHECK(csvCell("Lopez, Ana") == "\"Lopez, Ana\"");
  CHECK(csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csvCell("two\nlines") == "\"two\nlines\"");
  CHECK(csvRow({"a", "b,c", ""}) == "a,\"b,c\",\r\n");
}

TEST_CASE("a CSV cell that a spreadsheet would run as a formula is prefixed with a quote") {
  CHECK(csvCell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(csvCell("+33 6") == "'+33 6");
  CHECK(csvCell("-1") == "'-1");
  CHECK(csvCell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csvCell("a=b") == "a=b");
}

TEST_CASE("a token is valid up to its expiry second and expired after it") {
  CHECK_FALSE(tokenExpired(1000, 999));
  CHECK_FALSE(tokenExpired(1000, 1000));
  CHECK(tokenExpired(1000, 1001));
}

TEST_CASE("shards are picked within range and all of them get used") {
  std::set<int> seen;
  for (std::uint64_t r = 0; r < 64; ++r) {
    int shard = pickShard(r * 2654435761ULL);
    CHECK(shard >= 0);
    CHECK(shard < kCounterShards);
    seen.insert(shard);
  }
  CHECK(seen.size() == static_cast<std::size_t>(kCounterShards));
  CHECK(pickShard(12345, 1) == 0);
}

TEST_CASE("days are checked against the calendar") {
  CHECK(validDay("2024-02-29"));
  CHECK_FALSE(validDay("2023-02-29"));
  CHECK_FALSE(validDay("2100-02-29"));
  CHECK(validDay("2000-02-29"));
  CHECK_FALSE(validDay("2024-13-01"));
  CHECK_FALSE(validDay("2024-04-31"));
  CHECK_FALSE(validDay("24-04-01"));
  CHECK_FALSE(validDay("2024/04/01"));
  CHECK_FALSE(validDay("2024-4-1x"));
}

TEST_CASE("an epoch second gives its UTC day") {
  CHECK(dayOf(0) == "1970-01-01");
  CHECK(dayOf(951782400) == "2000-02-29");
  CHECK(dayOf(1704067199) == "2023-12-31");
  CHECK(dayOf(1704067200) == "2024-01-01");
}

TEST_CASE("only an open petition whose deadline is not past takes signatures") {
  CHECK(acceptsSignatures("open", "", "2024-05-01"));
  CHECK(acceptsSignatures("open", "2024-05-01", "2024-05-01"));
  CHECK_FALSE(acceptsSignatures("open", "2024-04-30", "2024-05-01"));
  CHECK_FALSE(acceptsSignatures("draft", "", "2024-05-01"));
  CHECK_FALSE(acceptsSignatures("closed", "", "2024-05-01"));
}

TEST_CASE("plain text splits into paragraphs on blank lines") {
  auto parts = paragraphs("First line\nsame paragraph\r\n\r\n  \nSecond\n\n\n");
  REQUIRE(parts.size() == 2);
  CHECK(parts[0] == "First line\nsame paragraph");
  CHECK(parts[1] == "Second");
  CHECK(paragraphs("").empty());
  CHECK(characters("é1") == 2);
}

TEST_CASE("array literals quote every element and escape its quotes and backslashes") {
  CHECK(textArray({}) == "{}");
  CHECK(textArray({"Ana", ""}) == "{\"Ana\",\"\"}");
  CHECK(textArray({"a,b {c}", "say \"hi\"", "back\\slash", "NULL"}) ==
        "{\"a,b {c}\",\"say \\\"hi\\\"\",\"back\\\\slash\",\"NULL\"}");
  CHECK(textArray({"P\u00e9tition \u00e0 \u00c9vreux"}) == "{\"P\u00e9tition \u00e0 \u00c9vreux\"}");
  CHECK_THROWS_AS(textArray({"ok", std::string("nul\0byte", 8)}), std::invalid_argument);
  CHECK(integerArray({}) == "{}");
  CHECK(integerArray({1, -2, 9007199254740993}) == "{1,-2,9007199254740993}");
}
