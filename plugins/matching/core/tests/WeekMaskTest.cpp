#include <doctest/doctest.h>

#include "matching/WeekMask.h"

using matching::WeekMask;

TEST_CASE("a local slot becomes UTC hours, wrapping around the week") {
  // Tuesday 18:30–20:00 in Paris in winter (UTC+1) is Tuesday 17h and 18h UTC.
  auto tuesday = WeekMask::fromLocalSlot(1, 18 * 60 + 30, 20 * 60, 60);
  CHECK(tuesday.count() == 2);
  CHECK(tuesday.test(24 + 17));
  CHECK(tuesday.test(24 + 18));
  // Monday 00:00–01:00 in Paris is Sunday 23h UTC.
  auto monday = WeekMask::fromLocalSlot(0, 0, 60, 60);
  CHECK(monday.count() == 1);
  CHECK(monday.test(167));
  // Invalid slots mark nothing.
  CHECK(WeekMask::fromLocalSlot(7, 0, 60, 0).empty());
  CHECK(WeekMask::fromLocalSlot(0, 120, 60, 0).empty());
  CHECK(WeekMask::all().count() == 168);
}

TEST_CASE("Paris is UTC+1 in winter and UTC+2 in summer, switching on the last Sundays of March and October") {
  // 2026-03-29 01:00 UTC is the switch to summer time.
  CHECK(matching::utcOffsetMinutesFor("Europe/Paris", 1774746000 - 1) == 60);
  CHECK(matching::utcOffsetMinutesFor("Europe/Paris", 1774746000) == 120);
  // 2026-10-25 01:00 UTC is the switch back.
  CHECK(matching::utcOffsetMinutesFor("Europe/Paris", 1792890000 - 1) == 120);
  CHECK(matching::utcOffsetMinutesFor("Europe/Paris", 1792890000) == 60);
  CHECK(matching::utcOffsetMinutesFor("Indian/Reunion", 1792890000) == 240);
  CHECK(matching::utcOffsetMinutesFor("-03:30", 0) == -210);
  CHECK(matching::utcOffsetMinutesFor("Mars/Olympus", 0) == 0);
}

TEST_CASE("the dominant slot is worded in the mission's local time") {
  auto evening = WeekMask::fromLocalSlot(1, 18 * 60, 19 * 60, 60);  // 17h UTC
  CHECK(matching::dominantSlotCode(evening, 60) == "1-evening");
  CHECK(matching::dominantSlotCode(evening, 0) == "1-afternoon");
  CHECK(matching::dominantSlotCode(WeekMask{}, 60).empty());
}
