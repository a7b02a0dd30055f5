// A library with the ABI tag of this SDK but no RUCHE_PLUGIN: the kernel
// must refuse it for its missing factory symbol before loading it.
#include <boost/config.hpp>

#include <ruche/sdk/Version.h>

extern "C" BOOST_SYMBOL_EXPORT const char RUCHE_SDK_CAT6(ruche_plugin_abi_, RUCHE_SDK_ABI_TAG, , ,
                                                         , )[] = RUCHE_SDK_STR(RUCHE_SDK_ABI_TAG);
