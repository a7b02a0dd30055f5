// The smallest valid plugin: what `ruche plugin install` and the admin panel
// tests install. It declares nothing; only its manifest, ABI tag, factory
// symbol and migration matter to those tests.
#define BOOST_DLL_FORCE_ALIAS_INSTANTIATION
#include "ruche/sdk/Plugin.h"

namespace {

class CliProbe : public ruche::sdk::Plugin {
 public:
  void setUp(ruche::sdk::Registrar&) override {}
};

}  // namespace

RUCHE_PLUGIN(CliProbe)
