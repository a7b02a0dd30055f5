// The matching plugin's handlers, by file: Suggest.cpp (missions for you,
// people to invite, the index check), Digest.cpp (the mail of new missions),
// Pairs.cpp (mentor pairs).
#pragma once

#include <ruche/sdk/Sdk.h>

#include "matching/Index.h"
#include "matching/Weights.h"

namespace matching::plugin {

using ruche::sdk::Context;
using ruche::sdk::Event;
using ruche::sdk::Request;
using ruche::sdk::Response;

/// The profile field of people who want suggestions mailed to them and
/// agree that coordinators see them among people to invite.
inline constexpr const char* kOptInField = "suggestions";

/// The profile field of how far (km) a person goes for an on-site mission;
/// empty or not a number: the core's kDefaultReachKm.
inline constexpr const char* kReachField = "reach_km";

/// The association's weights (plugin settings, in tenths).
Weights weightsOf(Context& context);

// Suggest.cpp
/// Leaves remote-only people (profiles.remote_only) out of the people for
/// `missionId` when it is on-site: the core has no such flag.
void excludeRemoteOnly(Context& context, long long missionId, QueryOptions& options);
void forYouPage(Context& context, const Request& request, Response& response);
void forYouApi(Context& context, const Request& request, Response& response);
std::string forYouPanel(Context& context, const Request& request, long long missionId);
void invitePage(Context& context, const Request& request, Response& response);
/// Mails one suggested person an invitation to the mission (once).
void inviteAction(Context& context, const Request& request, Response& response);
void inviteApi(Context& context, const Request& request, Response& response);
std::string invitePanel(Context& context, const Request& request, long long missionId);
void indexCheckApi(Context& context, const Request& request, Response& response);
/// Subscribers: what changed goes to the change log.
void recordChange(Context& context, const Event& event);

// Digest.cpp
void queueDigest(Context& context, const Event& event);
void sendDigests(Context& context);
void pruneChanges(Context& context);

// Pairs.cpp
void pairsPage(Context& context, const Request& request, Response& response);
void confirmPair(Context& context, const Request& request, Response& response);
void pairPage(Context& context, const Request& request, Response& response);
void addCheckin(Context& context, const Request& request, Response& response);

// Personal data (Pairs.cpp)
ruche::sdk::Value exportPersonalData(Context& context, long long accountId, const std::string& email);
void erasePersonalData(Context& context, long long accountId, const std::string& email);

}  // namespace matching::plugin
