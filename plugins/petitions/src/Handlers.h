#pragma once

#include <ruche/sdk/Sdk.h>

/// The plugin's route handlers; PetitionsPlugin.cpp says which route calls
/// which, with its access.
namespace petitions {

// Coordinators (Manage.cpp)
void manageList(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void newForm(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void create(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void editForm(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void update(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void exportCsv(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);

// The public (Signing.cpp)
void show(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void sign(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void confirmPage(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);
void confirm(ruche::sdk::Context&, const ruche::sdk::Request&, ruche::sdk::Response&);

}  // namespace petitions
