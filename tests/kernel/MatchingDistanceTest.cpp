// The matching plugin's distances, on real servers and both backends: places
// typed as free text are located with the plugin's gazetteer; an on-site
// mission beyond a volunteer's reach is never suggested, a remote one is; a
// closer mission ranks above a farther one; the reason names the distance;
// an unknown place filters nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "kernel/domain/Missions.h"
#include "kernel/plugins/PluginHost.h"
#include "kernel/storage/Database.h"
#include "ruche/sdk/Value.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;
using namespace std::chrono_literals;
using ruche::sdk::Value;
namespace fs = std::filesystem;

namespace {

const std::string kPassword = "correct horse battery";

/// Waits until every event delivery is done (the change log is written).
void settle(TestServer& server) {
  REQUIRE_MESSAGE(server.waitForDeliveries(10s), "event deliveries still pending after 10 s");
}

ruche::domain::MissionInput mission(const std::string& title, const std::string& mode, const std::string& place) {
  ruche::domain::MissionInput input;
  input.title = title;
  input.description = "Une mission de l'entraide.";
  input.kind = "regular";
  input.mode = mode;
  input.place = place;
  input.placesAvailable = "3";
  input.requiredSkills = {"cooking"};
  return input;
}

/// A server with matching on in one association and one volunteer whose
/// profile (place, reach) is saved through the form.
struct World {
  World(Backend backend, const std::string& place, const std::string& reachKm, bool remoteOnly = false)
      : server(backend, TestServer::withPlugins(plugins.path(), {"matching"})), volunteer(server.client()) {
    associationId = server.createAssociation("entraide", "Entraide");
    server.app().plugins().store().setEnabled("matching", associationId, true);
    server.createAccount("lea@example.org", kPassword, "Léa");
    volunteer = server.signedIn("lea@example.org", kPassword);
    auto saved = volunteer.postFormWithCsrf("/me/profile", "/me/profile",
                                            {{"display_name", "Léa"},
                                             {"timezone", "Europe/Paris"},
                                             {"locale", "fr"},
                                             {"hours_per_week", "4"},
                                             {"place", place},
                                             {"skills", "cooking"},
                                             {"plugin_matching_reach_km", reachKm},
                                             {"plugin_matching_suggestions", "1"},
                                             {"remote_only", remoteOnly ? "1" : ""}});
    REQUIRE(saved.status == 303);
  }

  long long publish(const ruche::domain::MissionInput& input) {
    return ruche::domain::Missions(server.services().db, &server.services().events)
        .create(associationId, 0, input, true);
  }

  /// The volunteer's suggestions, once the index has caught up.
  Value suggestions() {
    settle(server);
    auto response = volunteer.get("/api/v1/plugins/matching/missions-for-me");
    REQUIRE(response.status == 200);
    return Value::parseJson(response.body)["suggestions"];
  }

  TempDir plugins;
  TestServer server;
  HttpClient volunteer;
  long long associationId = 0;
};

std::vector<long long> idsOf(const Value& suggestions) {
  std::vector<long long> ids;
  for (const auto& s : suggestions.asArray()) {
    ids.push_back(s["id"].asInt());
  }
  return ids;
}

bool has(const std::vector<long long>& ids, long long id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

const Value* suggestionOf(const Value& suggestions, long long id) {
  for (const auto& s : suggestions.asArray()) {
    if (s["id"].asInt() == id) {
      return &s;
    }
  }
  return nullptr;
}

const Value* reasonOf(const Value& suggestion, const std::string& key) {
  for (const auto& reason : suggestion["reasons"].asArray()) {
    if (reason["key"].asString() == key) {
      return &reason;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE(
    "matching: a volunteer in Lille with a 30 km reach gets on-site missions in Roubaix and remote ones, never "
    "on-site ones in Lyon, the closer first, with the distance in words") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend, "59000 Lille", "30");
      long long lyon = world.publish(mission("Cuisine à Lyon", "onsite", "Lyon 3e"));
      long long remote = world.publish(mission("Cuisine à distance", "remote", "Lyon"));
      long long roubaix = world.publish(mission("Cuisine à Roubaix", "onsite", "Roubaix"));
      long long lille = world.publish(mission("Cuisine à Lille", "onsite", "LILLE (59)"));

      auto suggestions = world.suggestions();
      auto ids = idsOf(suggestions);
      CHECK_FALSE(has(ids, lyon));
      CHECK(has(ids, remote));
      CHECK(has(ids, roubaix));
      REQUIRE(has(ids, lille));

      // All else equal, Lille (0 km) ranks above Roubaix (about 10 km).
      auto at = [&](long long id) { return std::find(ids.begin(), ids.end(), id) - ids.begin(); };
      CHECK(at(lille) < at(roubaix));
      const Value* inRoubaix = suggestionOf(suggestions, roubaix);
      REQUIRE(inRoubaix != nullptr);
      const Value* distance = reasonOf(*inRoubaix, "distance");
      REQUIRE(distance != nullptr);
      int km = static_cast<int>((*distance)["matched"].asInt());
      CHECK(km >= 8);
      CHECK(km <= 12);
      CHECK((*distance)["text"].asString() == "à " + std::to_string(km) + " km");
    }
  }
}

TEST_CASE("matching: a volunteer whose place is unknown is not filtered by distance") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend, "Atlantide", "5");
      long long lyon = world.publish(mission("Cuisine à Lyon", "onsite", "Lyon"));
      long long brest = world.publish(mission("Cuisine à Brest", "onsite", "Brest"));
      auto ids = idsOf(world.suggestions());
      CHECK(has(ids, lyon));
      CHECK(has(ids, brest));
    }
  }
}

TEST_CASE("matching: the reach a volunteer gives on their profile replaces the default 20 km") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      // Arras is about 40 km from Lille.
      World far(backend, "Lille", "50");
      long long arras = far.publish(mission("Cuisine à Arras", "onsite", "Arras"));
      CHECK(has(idsOf(far.suggestions()), arras));
    }
    SUBCASE((std::string(backendName(backend)) + " default").c_str()) {
      World near(backend, "Lille", "");
      long long arras = near.publish(mission("Cuisine à Arras", "onsite", "Arras"));
      long long roubaix = near.publish(mission("Cuisine à Roubaix", "onsite", "Roubaix"));
      auto ids = idsOf(near.suggestions());
      CHECK_FALSE(has(ids, arras));
      CHECK(has(ids, roubaix));
    }
  }
}

TEST_CASE("matching: a remote-only volunteer is offered remote missions only, even next door") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend, "Lille", "30", true);
      long long lille = world.publish(mission("Cuisine à Lille", "onsite", "Lille"));
      long long remote = world.publish(mission("Cuisine à distance", "remote", "Lille"));
      auto ids = idsOf(world.suggestions());
      CHECK_FALSE(has(ids, lille));
      CHECK(has(ids, remote));
    }
  }
}
