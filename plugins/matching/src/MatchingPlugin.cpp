// The matching plugin: which route does what, and who may call it.
// Volunteers see missions for them (/p/matching/for-you, a panel on /me);
// coordinators see people to invite (a page per mission, a panel on the
// mission's page) and mentor pairs; the JSON API gives ids, scores and
// reasons. Subscribers keep the change log the in-memory index replays.
#include <ruche/sdk/Sdk.h>

#include "Handlers.h"

namespace {

using ruche::sdk::Access;
using ruche::sdk::EventScope;
using ruche::sdk::Handler;
using ruche::sdk::Job;
using ruche::sdk::MenuEntry;
using ruche::sdk::Panel;
using ruche::sdk::ProfileField;
using ruche::sdk::Registrar;
using ruche::sdk::Route;
using ruche::sdk::Scope;
namespace mp = matching::plugin;

class MatchingPlugin : public ruche::sdk::Plugin {
 public:
  void setUp(Registrar& registrar) override {
    auto route = [&](Scope scope, const char* method, const char* path, Access access, Handler handler) {
      registrar.route(
          Route{.scope = scope, .method = method, .path = path, .access = access, .handler = std::move(handler)});
    };
    route(Scope::FederationPage, "GET", "/for-you", Access::SignedIn, mp::forYouPage);
    route(Scope::FederationApi, "GET", "/missions-for-me", Access::SignedIn, mp::forYouApi);
    route(Scope::FederationApi, "GET", "/index/check", Access::FederationAdmin, mp::indexCheckApi);
    route(Scope::AssociationPage, "GET", "/missions/{id}/invite", Access::Coordinator, mp::invitePage);
    route(Scope::AssociationPage, "POST", "/missions/{id}/invite", Access::Coordinator, mp::inviteAction);
    route(Scope::AssociationApi, "GET", "/missions/{id}/volunteers", Access::Coordinator, mp::inviteApi);
    route(Scope::AssociationPage, "GET", "/pairs", Access::Coordinator, mp::pairsPage);
    route(Scope::AssociationPage, "POST", "/pairs", Access::Coordinator, mp::confirmPair);
    route(Scope::AssociationPage, "GET", "/pairs/{id}", Access::Volunteer, mp::pairPage);
    route(Scope::AssociationPage, "POST", "/pairs/{id}/checkins", Access::Volunteer, mp::addCheckin);

    // The change log, for every association (the index spans the federation).
    registrar.subscribe("index_missions", "mission.*", mp::recordChange, EventScope::AllAssociations);
    registrar.subscribe("index_profiles", "profile.updated", mp::recordChange, EventScope::AllAssociations);
    registrar.subscribe("index_memberships", "membership.changed", mp::recordChange, EventScope::AllAssociations);
    registrar.subscribe("index_feedback", "feedback.given", mp::recordChange, EventScope::AllAssociations);
    registrar.subscribe("index_applications", "application.*", mp::recordChange, EventScope::AllAssociations);
    // The digest, where the plugin is on.
    registrar.subscribe("digest_queue", "mission.published", mp::queueDigest);
    registrar.job(Job{.name = "send_digests", .everySeconds = 900, .run = mp::sendDigests});
    registrar.job(Job{.name = "prune_changes", .everySeconds = 3600, .run = mp::pruneChanges});

    registrar.profileField(ProfileField{
        .key = mp::kOptInField, .labelKey = "matching.profile.opt_in", .type = ProfileField::Type::Boolean});
    registrar.profileField(ProfileField{.key = mp::kReachField,
                                        .labelKey = "matching.profile.reach_km",
                                        .type = ProfileField::Type::Text,
                                        .maxLength = 4});
    registrar.panel(
        Panel{.where = Panel::Where::VolunteerHome, .titleKey = "matching.for_you.title", .render = mp::forYouPanel});
    registrar.panel(
        Panel{.where = Panel::Where::MissionManage, .titleKey = "matching.invite.title", .render = mp::invitePanel});
    registrar.menu(MenuEntry{.where = MenuEntry::Where::AssociationAdmin,
                             .labelKey = "matching.pairs.menu",
                             .path = "/pairs",
                             .access = Access::Coordinator});
    registrar.menu(MenuEntry{.where = MenuEntry::Where::Federation,
                             .labelKey = "matching.for_you.menu",
                             .path = "/for-you",
                             .access = Access::SignedIn});
    registrar.personalData(
        ruche::sdk::PersonalDataHandler{.exportData = mp::exportPersonalData, .erase = mp::erasePersonalData});
  }
};

}  // namespace

RUCHE_PLUGIN(MatchingPlugin)
