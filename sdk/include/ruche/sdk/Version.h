#pragma once

#include <cstddef>  // defines the standard library's version macros

/// The SDK's semantic version. A plugin's manifest names the range it was
/// written for ("sdk": ">=1.0 <2"); the kernel refuses a plugin whose range
/// excludes this version. Minor versions only add; the major changes when a
/// header changes in a way that breaks a compiled plugin.
#define RUCHE_SDK_VERSION_MAJOR 1
#define RUCHE_SDK_VERSION_MINOR 3
#define RUCHE_SDK_VERSION_PATCH 0

// The ABI tag: what must match between the kernel and a plugin's binary for
// C++ objects (std::string, std::function, exceptions, vtables) to cross the
// library boundary: the SDK major, the compiler family and the C++ standard
// library with its string ABI. It is spelled into the name of an exported
// symbol, so the kernel reads it from the library's symbol table before
// loading the library or importing anything.
#if defined(__clang__)
#define RUCHE_SDK_ABI_COMPILER clang
#elif defined(__GNUC__)
#define RUCHE_SDK_ABI_COMPILER gcc
#else
#define RUCHE_SDK_ABI_COMPILER other
#endif

#if defined(_GLIBCXX_RELEASE)
#if _GLIBCXX_USE_CXX11_ABI
#define RUCHE_SDK_ABI_STDLIB_KIND libstdcxx
#else
#define RUCHE_SDK_ABI_STDLIB_KIND libstdcxxold
#endif
#define RUCHE_SDK_ABI_STDLIB_VERSION _GLIBCXX_RELEASE
#elif defined(_LIBCPP_VERSION)
#define RUCHE_SDK_ABI_STDLIB_KIND libcxx
#define RUCHE_SDK_ABI_STDLIB_VERSION _LIBCPP_ABI_VERSION
#else
#define RUCHE_SDK_ABI_STDLIB_KIND unknown
#define RUCHE_SDK_ABI_STDLIB_VERSION 0
#endif

#define RUCHE_SDK_CAT6_(a, b, c, d, e, f) a##b##c##d##e##f
#define RUCHE_SDK_CAT6(a, b, c, d, e, f) RUCHE_SDK_CAT6_(a, b, c, d, e, f)
#define RUCHE_SDK_STR_(x) #x
#define RUCHE_SDK_STR(x) RUCHE_SDK_STR_(x)

// A test (and only a test) may force another tag to prove the check works.
#ifndef RUCHE_SDK_ABI_TAG
/// e.g. sdk1_gcc_libstdcxx12
#define RUCHE_SDK_ABI_TAG                                                    \
  RUCHE_SDK_CAT6(sdk, RUCHE_SDK_VERSION_MAJOR, _, RUCHE_SDK_ABI_COMPILER, _, \
                 RUCHE_SDK_CAT6(RUCHE_SDK_ABI_STDLIB_KIND, RUCHE_SDK_ABI_STDLIB_VERSION, , , , ))
#endif

namespace ruche::sdk {

/// "1.1.0": the version of the SDK this code was compiled against.
inline constexpr const char* kSdkVersion = RUCHE_SDK_STR(RUCHE_SDK_VERSION_MAJOR) "." RUCHE_SDK_STR(
    RUCHE_SDK_VERSION_MINOR) "." RUCHE_SDK_STR(RUCHE_SDK_VERSION_PATCH);

/// The ABI tag of this compilation, as text ("sdk1_gcc_libstdcxx12").
inline constexpr const char* kAbiTag = RUCHE_SDK_STR(RUCHE_SDK_ABI_TAG);

/// Prefix of the exported symbol that carries the ABI tag in its name.
inline constexpr const char* kAbiSymbolPrefix = "ruche_plugin_abi_";

/// The alias under which a plugin exports its factory.
inline constexpr const char* kFactoryAlias = "ruche_plugin_factory";

}  // namespace ruche::sdk
