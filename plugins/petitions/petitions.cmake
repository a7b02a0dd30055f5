# What the petitions plugin is made of, shared by its own CMakeLists.txt and
# Ruche's test build (tests/plugins/petitions), so the two cannot drift:
#   include(<this folder>/petitions.cmake)
#   ruche_add_plugin(petitions SOURCES ${PETITIONS_SOURCES} …)
#   petitions_link(petitions)
# Debian 12 packages: libcmark-gfm-dev + libcmark-gfm-extensions-dev (the
# Markdown text), libqrencode-dev (the QR code), libsodium-dev (HMAC and
# SHA-256 of the proof-of-work and of the mailed tokens).
include_guard(GLOBAL)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PETITIONS_CMARK REQUIRED IMPORTED_TARGET libcmark-gfm)
pkg_check_modules(PETITIONS_QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(PETITIONS_SODIUM REQUIRED IMPORTED_TARGET libsodium)

set(PETITIONS_DIR "${CMAKE_CURRENT_LIST_DIR}")

# The disposable-domain list, compiled in (a plugin's folder ships only its
# templates, locales and migrations).
file(READ "${PETITIONS_DIR}/disposable-domains.txt" PETITIONS_DISPOSABLE_LIST)
configure_file("${PETITIONS_DIR}/src/DisposableList.cpp.in" "${CMAKE_CURRENT_BINARY_DIR}/DisposableList.cpp" @ONLY)

# Pure parts (no SDK call): also in the unit tests.
set(PETITIONS_PURE_SOURCES
  ${PETITIONS_DIR}/src/Markdown.cpp
  ${PETITIONS_DIR}/src/Disposable.cpp
  ${CMAKE_CURRENT_BINARY_DIR}/DisposableList.cpp
  ${PETITIONS_DIR}/src/Qr.cpp
  ${PETITIONS_DIR}/src/Share.cpp
  ${PETITIONS_DIR}/src/Image.cpp
  ${PETITIONS_DIR}/src/ProofOfWork.cpp)

set(PETITIONS_SOURCES
  ${PETITIONS_DIR}/src/PetitionsPlugin.cpp
  ${PETITIONS_DIR}/src/Manage.cpp
  ${PETITIONS_DIR}/src/Signing.cpp
  ${PETITIONS_DIR}/src/Store.cpp
  ${PETITIONS_DIR}/src/PageExtras.cpp
  ${PETITIONS_DIR}/src/SignatureFlow.cpp
  ${PETITIONS_DIR}/src/SignatureBatch.cpp
  ${PETITIONS_DIR}/src/Links.cpp
  ${PETITIONS_DIR}/src/Withdrawal.cpp
  ${PETITIONS_DIR}/src/Updates.cpp
  ${PETITIONS_DIR}/src/Retention.cpp
  ${PETITIONS_DIR}/src/Report.cpp
  ${PETITIONS_DIR}/src/PersonalData.cpp
  ${PETITIONS_DIR}/src/Api.cpp
  ${PETITIONS_DIR}/src/DataRoutes.cpp
  ${PETITIONS_PURE_SOURCES})

set(PETITIONS_TEST_SOURCES
  ${PETITIONS_DIR}/tests/main.cpp
  ${PETITIONS_DIR}/tests/RulesTest.cpp
  ${PETITIONS_DIR}/tests/PageRulesTest.cpp
  ${PETITIONS_DIR}/tests/DataRulesTest.cpp
  ${PETITIONS_DIR}/tests/WakeupTest.cpp
  ${PETITIONS_PURE_SOURCES})

set(PETITIONS_LIBRARIES PkgConfig::PETITIONS_CMARK PkgConfig::PETITIONS_QRENCODE PkgConfig::PETITIONS_SODIUM)

# Links a target built from PETITIONS_SOURCES or PETITIONS_TEST_SOURCES.
function(petitions_link target)
  target_include_directories(${target} PRIVATE "${PETITIONS_DIR}/src")
  target_link_libraries(${target} PRIVATE ${PETITIONS_LIBRARIES})
endfunction()
