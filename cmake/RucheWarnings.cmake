# Warnings and sanitizers for our own code only: an INTERFACE target linked
# PRIVATE, so third-party headers (pulled in as -isystem) stay out of -Werror.
add_library(ruche_warnings INTERFACE)
target_compile_options(ruche_warnings INTERFACE -Wall -Wextra -Werror)

add_library(ruche_sanitizers INTERFACE)
if(RUCHE_SANITIZE)
  # vptr checks need the typeinfo of every polymorphic class we touch; Debian's
  # SOCI does not export some (ref_counted_statement), so that one check is off.
  target_compile_options(ruche_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(ruche_sanitizers INTERFACE -fsanitize=address,undefined -fno-sanitize=vptr)
endif()

# One call for every kernel module: warnings, sanitizers, C++20.
function(ruche_module target)
  target_link_libraries(${target} PRIVATE ruche_warnings PUBLIC ruche_sanitizers)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_include_directories(${target} PUBLIC "${PROJECT_SOURCE_DIR}")
endfunction()
