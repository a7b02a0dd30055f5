# Functions that build a Ruche plugin, part of the RucheSDK package.
#
#   ruche_add_plugin(<name> SOURCES <file>... [MANIFEST <plugin.json>]
#                    [ASSETS_DIR <folder>])
#
# Builds <name>.so and assembles the folder the kernel loads,
# ${CMAKE_CURRENT_BINARY_DIR}/<name>/, with plugin.json, <name>.so and the
# templates/, locales/ and migrations/ of ASSETS_DIR, and its openapi.json
# (the plugin's part of /api/v1/openapi.json) if it has one (default: the folder of
# the calling CMakeLists.txt; another when a build, such as Ruche's own
# tests, builds a plugin whose sources live elsewhere). The manifest
# (default: plugin.json beside the CMakeLists.txt) is checked when CMake
# configures, so a typo fails the build with the file and the field named
# instead of a refusal at the kernel's start-up.
#
#   ruche_add_plugin_test(<name> SOURCES <file>... [LIBRARIES <target>...]
#                         [TEST_PREFIX <text>])
#
# A doctest executable <name> linking RucheSDK::sdk and doctest, registered
# with CTest (one test per TEST_CASE, its name prefixed with TEST_PREFIX). The caller needs
# find_package(doctest CONFIG), enable_testing() and one main.cpp that
# defines DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN.

include_guard(GLOBAL)

# Stops the configuration with a message naming the manifest and the field.
function(_ruche_manifest_error manifest field problem)
  message(FATAL_ERROR "${manifest}: field \"${field}\" ${problem}")
endfunction()

# A member that must be a non-empty JSON string; its value in ${out}.
function(_ruche_manifest_string out manifest json field)
  string(JSON type ERROR_VARIABLE error TYPE "${json}" ${field})
  if(error)
    _ruche_manifest_error("${manifest}" "${field}" "is missing")
  endif()
  if(NOT type STREQUAL "STRING")
    _ruche_manifest_error("${manifest}" "${field}" "must be a string")
  endif()
  string(JSON value GET "${json}" ${field})
  if(value STREQUAL "")
    _ruche_manifest_error("${manifest}" "${field}" "must not be empty")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

# A member that must be {"fr": "…", "en": "…"}, both non-empty.
function(_ruche_manifest_texts manifest json field)
  string(JSON type ERROR_VARIABLE error TYPE "${json}" ${field})
  if(error)
    _ruche_manifest_error("${manifest}" "${field}" "is missing (an object {\"fr\": …, \"en\": …})")
  endif()
  if(NOT type STREQUAL "OBJECT")
    _ruche_manifest_error("${manifest}" "${field}" "must be an object {\"fr\": …, \"en\": …}")
  endif()
  foreach(language fr en)
    string(JSON type ERROR_VARIABLE error TYPE "${json}" ${field} ${language})
    if(error OR NOT type STREQUAL "STRING")
      _ruche_manifest_error("${manifest}" "${field}.${language}" "is missing (a text in that language)")
    endif()
    string(JSON value GET "${json}" ${field} ${language})
    if(value STREQUAL "")
      _ruche_manifest_error("${manifest}" "${field}.${language}" "must not be empty")
    endif()
  endforeach()
endfunction()

# The checks the kernel makes first, so they fail here already. The kernel
# still validates everything (settings, capabilities, unknown keys) on load.
function(_ruche_check_manifest name manifest)
  if(NOT EXISTS "${manifest}")
    message(FATAL_ERROR "ruche_add_plugin(${name}): no manifest at ${manifest}")
  endif()
  file(READ "${manifest}" json)
  string(JSON type ERROR_VARIABLE error TYPE "${json}")
  if(error)
    message(FATAL_ERROR "${manifest}: not valid JSON: ${error}")
  endif()
  if(NOT type STREQUAL "OBJECT")
    message(FATAL_ERROR "${manifest}: must hold a JSON object")
  endif()

  _ruche_manifest_string(manifestName "${manifest}" "${json}" name)
  if(NOT manifestName MATCHES "^[a-z][a-z0-9_]+$")
    _ruche_manifest_error("${manifest}" name
      "is \"${manifestName}\": it must match ^[a-z][a-z0-9_]{1,30}$ (lower case, digits, '_')")
  endif()
  string(LENGTH "${manifestName}" length)
  if(length GREATER 31)
    _ruche_manifest_error("${manifest}" name "is longer than 31 characters")
  endif()
  if(NOT manifestName STREQUAL name)
    _ruche_manifest_error("${manifest}" name
      "is \"${manifestName}\" but the plugin is built as \"${name}\": they must be the same")
  endif()

  _ruche_manifest_string(version "${manifest}" "${json}" version)
  if(NOT version MATCHES "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$")
    _ruche_manifest_error("${manifest}" version "is \"${version}\": it must be MAJOR.MINOR.PATCH, e.g. 1.0.0")
  endif()

  _ruche_manifest_string(sdk "${manifest}" "${json}" sdk)
  _ruche_manifest_texts("${manifest}" "${json}" title)
  _ruche_manifest_texts("${manifest}" "${json}" description)
endfunction()

function(ruche_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "MANIFEST;ASSETS_DIR" "SOURCES")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ruche_add_plugin(${name}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "ruche_add_plugin(${name}): SOURCES is required")
  endif()
  if(NOT ARG_MANIFEST)
    set(ARG_MANIFEST plugin.json)
  endif()
  get_filename_component(manifest "${ARG_MANIFEST}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT ARG_ASSETS_DIR)
    set(ARG_ASSETS_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  get_filename_component(assets "${ARG_ASSETS_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")

  _ruche_check_manifest(${name} "${manifest}")
  # An edited manifest is checked again at the next build.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${manifest}")

  set(folder "${CMAKE_CURRENT_BINARY_DIR}/${name}")
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE RucheSDK::sdk)
  target_compile_features(${name} PRIVATE cxx_std_20)
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  # Exactly <name>.so, straight into the plugin's folder. Hidden visibility:
  # only the factory alias and the ABI symbol, exported explicitly, are
  # the plugin's interface.
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    LIBRARY_OUTPUT_DIRECTORY "${folder}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # The SDK's static library stays private to the plugin too: its symbols
  # do not interpose with the kernel's own copy.
  if(NOT APPLE)
    target_link_options(${name} PRIVATE "LINKER:--exclude-libs,ALL")
  endif()

  # The rest of the folder: the manifest and the data folders, copied again
  # whenever one of their files changes (a new file re-runs the glob).
  set(commands COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${manifest}" "${folder}/plugin.json")
  set(inputs "${manifest}")
  # openapi.json comes and goes with the sources (a glob, so that adding or
  # removing it re-runs CMake); a removed one leaves the built folder too.
  file(GLOB api_description CONFIGURE_DEPENDS "${assets}/openapi.json")
  list(APPEND commands COMMAND "${CMAKE_COMMAND}" -E rm -f "${folder}/openapi.json")
  if(api_description)
    list(APPEND commands COMMAND "${CMAKE_COMMAND}" -E copy "${api_description}" "${folder}/openapi.json")
    list(APPEND inputs "${api_description}")
  endif()
  foreach(data templates locales migrations)
    set(source "${assets}/${data}")
    if(IS_DIRECTORY "${source}")
      file(GLOB_RECURSE files CONFIGURE_DEPENDS "${source}/*")
      list(APPEND inputs ${files})
      # Removed first, so that a file deleted from the sources goes too.
      list(APPEND commands
        COMMAND "${CMAKE_COMMAND}" -E rm -rf "${folder}/${data}"
        COMMAND "${CMAKE_COMMAND}" -E copy_directory "${source}" "${folder}/${data}")
    endif()
  endforeach()
  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/${name}_folder.stamp")
  add_custom_command(OUTPUT "${stamp}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${folder}"
    ${commands}
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPENDS ${inputs}
    COMMENT "Assembling the plugin folder ${name}/"
    VERBATIM)
  add_custom_target(${name}_folder DEPENDS "${stamp}")
  add_dependencies(${name} ${name}_folder)
endfunction()

function(ruche_add_plugin_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "TEST_PREFIX" "SOURCES;LIBRARIES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "ruche_add_plugin_test(${name}): SOURCES is required")
  endif()
  if(NOT TARGET doctest::doctest)
    message(FATAL_ERROR "ruche_add_plugin_test(${name}): call find_package(doctest CONFIG REQUIRED) first")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE RucheSDK::sdk doctest::doctest ${ARG_LIBRARIES})
  target_compile_features(${name} PRIVATE cxx_std_20)
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  include(doctest)
  if(ARG_TEST_PREFIX)
    doctest_discover_tests(${name} TEST_PREFIX "${ARG_TEST_PREFIX}")
  else()
    doctest_discover_tests(${name})
  endif()
endfunction()
