#!/usr/bin/env bash
# Builds the example plugin the way an outside developer would: the SDK
# installed into a fresh prefix, plugins/hello copied away from this
# repository, configured with nothing but CMAKE_PREFIX_PATH. Then checks the
# plugin folder and its exported symbols, and that a manifest whose name is
# wrong stops the configuration with a message naming the field.
#   out-of-tree-build.sh <ruche build tree> <ruche source tree>
set -euo pipefail

build="$(cd "${1:?build tree}" && pwd)"
source="$(cd "${2:?source tree}" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/ruche-sdk-oot.XXXXXX")"
trap 'rm -rf "$work"' EXIT

failures=0
check() {
  local what="$1"
  shift
  if "$@"; then
    echo "ok:   $what"
  else
    echo "FAIL: $what"
    failures=$((failures + 1))
  fi
}

echo "== installing the SDK component into $work/prefix"
cmake --install "$build" --component sdk --prefix "$work/prefix" >/dev/null
check "the installed package has RucheSDKConfig.cmake" \
  test -f "$work/prefix/lib/cmake/RucheSDK/RucheSDKConfig.cmake"
check "the installed headers include ruche/sdk/Sdk.h" test -f "$work/prefix/include/ruche/sdk/Sdk.h"

echo "== building plugins/hello from a copy in $work/src"
cp -r "$source/plugins/hello" "$work/src"
generator=()
if command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi
cmake -S "$work/src" -B "$work/build" "${generator[@]}" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$work/configure.log" 2>&1 || {
  cat "$work/configure.log"
  echo "FAIL: configuring the plugin against the installed SDK"
  exit 1
}
cmake --build "$work/build" -j 2 >"$work/build.log" 2>&1 || {
  cat "$work/build.log"
  echo "FAIL: building the plugin"
  exit 1
}
echo "ok:   configured and built with only CMAKE_PREFIX_PATH"
# No text of the package or the plugin's build may point into the Ruche sources.
check "neither the package nor the build refers to the Ruche source tree" \
  bash -c "! grep -rIqs -- '$source' '$work/prefix/lib/cmake' '$work/build'"

folder="$work/build/hello"
for file in plugin.json hello.so templates/hello.mustache locales/fr.json locales/en.json migrations/001_greetings.sql; do
  check "the plugin folder holds $file" test -f "$folder/$file"
done
symbols="$(nm -D --defined-only "$folder/hello.so")"
check "hello.so exports the factory alias ruche_plugin_factory" grep -qw ruche_plugin_factory <<<"$symbols"
check "hello.so exports an ABI symbol ruche_plugin_abi_sdk1_*" grep -qE '\bruche_plugin_abi_sdk1_[a-z0-9_]+' <<<"$symbols"

echo "== a manifest whose name differs from the plugin's must fail to configure"
cp -r "$source/plugins/hello" "$work/bad"
sed -i 's/"name": "hello"/"name": "goodbye"/' "$work/bad/plugin.json"
check "the edited manifest says goodbye" grep -q '"name": "goodbye"' "$work/bad/plugin.json"
if cmake -S "$work/bad" -B "$work/bad-build" "${generator[@]}" -DCMAKE_PREFIX_PATH="$work/prefix" \
  >"$work/bad.log" 2>&1; then
  echo "FAIL: configuring with a wrong name succeeded"
  failures=$((failures + 1))
else
  echo "ok:   configuring with a wrong name failed"
fi
# CMake wraps long messages: join the lines before looking.
message="$(tr '\n' ' ' <"$work/bad.log" | tr -s ' ')"
check "the message names the manifest file" grep -q "bad/plugin.json" <<<"$message"
check "the message names the field \"name\"" grep -q 'field "name"' <<<"$message"

echo "== a manifest without an English title must fail to configure"
cp -r "$source/plugins/hello" "$work/bad2"
python3 - "$work/bad2/plugin.json" <<'EOF'
import json, sys
path = sys.argv[1]
manifest = json.load(open(path))
del manifest["title"]["en"]
json.dump(manifest, open(path, "w"))
EOF
if cmake -S "$work/bad2" -B "$work/bad2-build" "${generator[@]}" -DCMAKE_PREFIX_PATH="$work/prefix" \
  >"$work/bad2.log" 2>&1; then
  echo "FAIL: configuring without title.en succeeded"
  failures=$((failures + 1))
else
  check "the message names the field \"title.en\"" grep -q 'field "title.en"' <(tr '\n' ' ' <"$work/bad2.log")
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
