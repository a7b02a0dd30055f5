// The matching plugin's place normaliser and gazetteer (src/Places.h).
#include <doctest/doctest.h>

#include <cmath>

#include "../src/Places.h"

using namespace matching::plugin;

TEST_CASE("place text loses case, accents, hyphens, postcodes, departments and arrondissements") {
  CHECK(placeKey("Lyon") == "lyon");
  CHECK(placeKey("LYON 3e") == "lyon");
  CHECK(placeKey("69003 Lyon") == "lyon");
  CHECK(placeKey("Paris (75)") == "paris");
  CHECK(placeKey("Paris 1er arrondissement") == "paris");
  CHECK(placeKey("Saint-Étienne") == "saint etienne");
  CHECK(placeKey("St Etienne") == "saint etienne");
  CHECK(placeKey("Ste-Foy") == "sainte foy");
  CHECK(placeKey("Châlons-en-Champagne CEDEX") == "chalons en champagne");
  CHECK(placeKey("Marcq-en-Barœul") == "marcq en baroeul");
  CHECK(placeKey("  ") == "");
}

TEST_CASE("a known town is located whatever its spelling and an unknown one is not") {
  auto lyon = locatePlace("69003 LYON 3e");
  REQUIRE(lyon.has_value());
  CHECK(std::abs(lyon->lat - 45.76) < 0.1);
  CHECK(std::abs(lyon->lon - 4.84) < 0.1);
  auto etienne = locatePlace("st etienne (42)");
  REQUIRE(etienne.has_value());
  CHECK(std::abs(etienne->lat - 45.44) < 0.1);
  CHECK_FALSE(locatePlace("Atlantis").has_value());
  CHECK_FALSE(locatePlace("").has_value());
  CHECK_FALSE(locatePlace("75").has_value());
}

TEST_CASE("every town of the demo data is in the gazetteer") {
  for (const char* town : {"Lyon", "Villeurbanne", "Lille", "Roubaix", "Rennes", "Nantes", "Paris", "Marseille",
                           "Bordeaux", "Toulouse", "Grenoble", "Brest", "Saint-Malo", "Tourcoing", "Vannes"}) {
    CAPTURE(town);
    CHECK(locatePlace(town).has_value());
  }
}
