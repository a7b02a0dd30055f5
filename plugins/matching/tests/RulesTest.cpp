// The matching plugin's pure rules (src/Rules.h).
#include <doctest/doctest.h>

#include "../src/Rules.h"

using namespace matching::rules;

TEST_CASE("language codes round-trip through the core's ids and only two letters are accepted") {
  CHECK(languageCode(languageId("en")) == "en");
  CHECK(languageCode(languageId("zz")) == "zz");
  CHECK(languageId("en") != languageId("fr"));
  CHECK(languageId("eng") == 0);
  CHECK(languageId("EN") == 0);
  CHECK(languageLevel("native") > languageLevel("fluent"));
  CHECK(languageLevel("basic") < kRequiredLevel);
  CHECK(languageLevel("conversational") == kRequiredLevel);
}

TEST_CASE("a day reads as its UTC midnight and back") {
  CHECK(dayStart("1970-01-02") == 86400);
  CHECK(dayOf(dayStart("2026-11-24")) == "2026-11-24");
  CHECK(dayStart("2026-13-01") == 0);
  CHECK(dayStart("demain") == 0);
}

TEST_CASE("a French schedule gives its weekday evening hours in UTC") {
  // Tuesday 18h-20h in Paris in winter (UTC+1) is Tuesday 17h and 18h UTC.
  auto mask = parseSchedule("les mardis 18h-20h", 60);
  CHECK(mask.count() == 2);
  CHECK(mask.test(24 + 17));
  CHECK(mask.test(24 + 18));
  CHECK_FALSE(mask.test(24 + 19));
}

TEST_CASE("schedules in other shapes: English days, ranges alone, days alone, nothing") {
  CHECK(parseSchedule("Saturday 9:00 to 12:00", 0).count() == 3);
  CHECK(parseSchedule("10h à 11h", 0).count() == 7);
  CHECK(parseSchedule("le dimanche", 0).count() == 24);
  CHECK(parseSchedule("quand vous voulez", 0).empty());
  CHECK(parseSchedule("", 0).empty());
}

TEST_CASE("a mentor pair scores more with more shared skills, languages and hours") {
  PairPerson newcomer{1, {1, 2, 3}, {languageId("fr")}, parseSchedule("mardi 18h-20h", 0)};
  PairPerson close{2, {1, 2}, {languageId("fr")}, parseSchedule("mardi 18h-22h", 0)};
  PairPerson far{3, {9}, {languageId("de")}, parseSchedule("jeudi 8h-9h", 0)};
  auto good = pairScore(newcomer, close);
  auto poor = pairScore(newcomer, far);
  CHECK(good.sharedSkills == 2);
  CHECK(good.sharedLanguages == 1);
  CHECK(good.sharedHours == 2);
  CHECK(poor.score == 0.0);
  CHECK(good.score > poor.score);
}

TEST_CASE("a digest is due once the rate limit's days have passed") {
  CHECK(digestDue(0, 1000, 7));
  CHECK_FALSE(digestDue(1000, 1000 + 6 * 86400, 7));
  CHECK(digestDue(1000, 1000 + 7 * 86400, 7));
}

TEST_CASE("weights in tenths become the core's weights, clamped") {
  CHECK(weightOfTenths(30) == doctest::Approx(3.0));
  CHECK(weightOfTenths(-5) == 0.0);
  CHECK(weightOfTenths(500) == doctest::Approx(10.0));
}
