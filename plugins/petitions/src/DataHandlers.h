#pragma once

#include <ruche/sdk/Sdk.h>

/// The route handlers of the signers' data part; DataRoutes.cpp says which
/// route calls which, with its access.
namespace petitions {

// Personal links (Withdrawal.cpp), public
void withdrawPage(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void withdraw(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void stopPage(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void stop(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);

// Updates (Updates.cpp), coordinators
void updatesPage(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void postUpdate(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);

// The delivery report (Report.cpp), coordinators
void reportPage(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void reportCsvFile(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);

// The JSON API (Api.cpp)
void apiList(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void apiShow(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void apiSign(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void apiConfirm(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void apiWithdraw(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void apiReport(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void apiCount(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);

}  // namespace petitions
