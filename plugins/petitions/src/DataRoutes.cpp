// The signers' data part of the plugin: which route does what and who may
// call it, its jobs and its part of a person's data.
#include "Data.h"
#include "DataHandlers.h"

namespace petitions {

using ruche::sdk::Access;
using ruche::sdk::Context;
using ruche::sdk::Handler;
using ruche::sdk::Job;
using ruche::sdk::PersonalDataHandler;
using ruche::sdk::Route;
using ruche::sdk::Scope;

void registerData(ruche::sdk::Registrar& registrar) {
  auto route = [&](Scope scope, const char* method, const char* path, Access access, Handler handler) {
    registrar.route(
        Route{.scope = scope, .method = method, .path = path, .access = access, .handler = std::move(handler)});
  };
  // Pages: /a/<slug>/petitions/…
  route(Scope::AssociationPage, "GET", "/withdraw/{token}", Access::Public, withdrawPage);
  route(Scope::AssociationPage, "POST", "/withdraw/{token}", Access::Public, withdraw);
  route(Scope::AssociationPage, "GET", "/stop/{token}", Access::Public, stopPage);
  route(Scope::AssociationPage, "POST", "/stop/{token}", Access::Public, stop);
  route(Scope::AssociationPage, "GET", "/manage/{id}/updates", Access::Coordinator, updatesPage);
  route(Scope::AssociationPage, "POST", "/manage/{id}/updates", Access::Coordinator, postUpdate);
  route(Scope::AssociationPage, "GET", "/manage/{id}/report", Access::Coordinator, reportPage);
  route(Scope::AssociationPage, "GET", "/manage/{id}/report.csv", Access::Coordinator, reportCsvFile);
  // JSON: /api/v1/associations/<slug>/petitions/…
  route(Scope::AssociationApi, "GET", "/", Access::Public, apiList);
  route(Scope::AssociationApi, "GET", "/{id}", Access::Public, apiShow);
  route(Scope::AssociationApi, "POST", "/{id}/signatures", Access::Public, apiSign);
  route(Scope::AssociationApi, "POST", "/confirmations/{token}", Access::Public, apiConfirm);
  route(Scope::AssociationApi, "POST", "/withdrawals/{token}", Access::Public, apiWithdraw);
  route(Scope::AssociationApi, "GET", "/{id}/report", Access::Coordinator, apiReport);
  route(Scope::AssociationApi, "GET", "/{id}/signatures/count", Access::Coordinator, apiCount);

  registrar.job(Job{.name = "send_updates", .everySeconds = 60, .run = sendUpdatesJob});
  registrar.job(Job{.name = "erase_closed", .dailyAtMinuteUtc = 3 * 60 + 30, .run = eraseClosedJob});
  registrar.job(Job{.name = "forget_ip_hits", .everySeconds = 3600, .run = forgetIpHitsJob});
  registrar.personalData(PersonalDataHandler{
      .exportData = [](Context& context, long long,
                       const std::string& email) { return exportSignatures(context, email); },
      .erase = [](Context& context, long long, const std::string& email) { eraseSignatures(context, email); }});
}

}  // namespace petitions
