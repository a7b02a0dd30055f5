# The matching plugin's gazetteer (data/places.txt), compiled in: a plugin's
# folder ships only its templates, locales and migrations. Included by the
# plugin's own CMakeLists.txt and by Ruche's tests/plugins/matching; sets
# MATCHING_PLACE_SOURCES (pure: also in the unit tests).
set(MATCHING_DIR ${CMAKE_CURRENT_LIST_DIR})
file(READ "${MATCHING_DIR}/data/places.txt" MATCHING_PLACE_LIST)
configure_file("${MATCHING_DIR}/src/PlaceList.cpp.in" "${CMAKE_CURRENT_BINARY_DIR}/PlaceList.cpp" @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${MATCHING_DIR}/data/places.txt")
set(MATCHING_PLACE_SOURCES "${MATCHING_DIR}/src/Places.cpp" "${CMAKE_CURRENT_BINARY_DIR}/PlaceList.cpp")
