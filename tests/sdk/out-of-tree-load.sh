#!/usr/bin/env bash
# From an installed SDK to plugins answering in a running server, as a
# plugin developer and a federation admin would do it:
#   - the SDK installed into a fresh prefix;
#   - `ruche plugin new greeter` built with exactly the two commands of its
#     README (CMAKE_PREFIX_PATH = that prefix only), its doctest test run;
#   - plugins/hello copied away from this repository and built the same way;
#   - both dropped into a data folder's plugins dir, enabled for one
#     association while `ruche serve` runs, and checked with curl: pages,
#     JSON, 404 where off, a throwing route failing only its request.
#   out-of-tree-load.sh <ruche build tree> <ruche source tree> <ruche binary>
set -uo pipefail

build="$(cd "${1:?build tree}" && pwd)"
source="$(cd "${2:?source tree}" && pwd)"
ruche="${3:?ruche binary}"
work="$(mktemp -d "${TMPDIR:-/tmp}/ruche-sdk-load.XXXXXX")"
server_pid=""
export CMAKE_BUILD_PARALLEL_LEVEL=2

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
ok() { echo "ok:   $*"; }
bad() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
check() {  # check DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}
# log_has PATTERN: the server's log shows PATTERN within 5 s (log lines
# reach standard error from a background writer, about 20 ms later).
log_has() {
  local tries
  for tries in $(seq 50); do
    grep -q -- "$1" "$work/server.log" && return 0
    sleep 0.1
  done
  return 1
}
# Stops at once: later steps need this one.
fatal() {
  echo "FAIL: $*"
  [[ -f "$work/server.log" ]] && tail -40 "$work/server.log"
  exit 1
}

plugin_new() {
  "$ruche" plugin new "$@"
}

echo "== installing the SDK component into $work/prefix"
cmake --install "$build" --component sdk --prefix "$work/prefix" >/dev/null || fatal "installing the SDK"
ok "the SDK is installed in a fresh prefix"

echo "== ruche plugin new"
plugin_new greeter --dir "$work/src" >"$work/new.txt" 2>&1 || { cat "$work/new.txt"; fatal "ruche plugin new greeter"; }
plugin="$work/src/greeter"
for file in CMakeLists.txt plugin.json src/GreeterPlugin.cpp src/Rules.h tests/main.cpp tests/RulesTest.cpp \
  templates/greeter.mustache locales/fr.json locales/en.json migrations/001_init.sql README.md; do
  check "the new plugin has $file" test -f "$plugin/$file"
done
check "its README gives the two build commands" \
  grep -q 'cmake -S . -B build -DCMAKE_PREFIX_PATH=' "$plugin/README.md"
check "its manifest and messages are valid JSON" \
  python3 -c 'import json,sys; [json.load(open(f)) for f in sys.argv[1:]]' \
  "$plugin/plugin.json" "$plugin/locales/fr.json" "$plugin/locales/en.json"
check "fr.json and en.json have the same keys" python3 -c '
import json, sys
fr, en = (set(json.load(open(f))) for f in sys.argv[1:])
sys.exit(0 if fr == en else 1)' "$plugin/locales/fr.json" "$plugin/locales/en.json"

before="$(cat "$plugin/plugin.json")"
plugin_new greeter --dir "$work/src" >"$work/again.txt" 2>&1
status=$?
check "a second ruche plugin new greeter exits 1 (got $status)" test "$status" -eq 1
check "it says the folder exists" grep -q 'exists already' "$work/again.txt"
check "it left the existing folder alone" test "$before" == "$(cat "$plugin/plugin.json")"
for name in Greeter 1st x "with-dash" "a_name_that_is_far_too_long_for_ruche"; do
  plugin_new "$name" --dir "$work/refused" >"$work/badname.txt" 2>&1
  status=$?
  check "the name \"$name\" is refused with exit 1 (got $status) and a reason" \
    bash -c "[[ $status -eq 1 ]] && grep -q 'is not a plugin name' '$work/badname.txt' && [[ ! -e '$work/refused/$name' ]]"
done

echo "== building greeter with the two commands of its README"
(cd "$plugin" && cmake -S . -B build -DCMAKE_PREFIX_PATH="$work/prefix" && cmake --build build) \
  >"$work/greeter-build.log" 2>&1 || { tail -60 "$work/greeter-build.log"; fatal "building the new plugin"; }
ok "greeter configured and built against the installed SDK alone"
check "the build has no warning" bash -c "! grep -q 'warning:' '$work/greeter-build.log'"
check "neither the SDK package nor the build refers to the Ruche sources" \
  bash -c "! grep -rIqs -- '$source' '$work/prefix/lib/cmake' '$plugin/build'"
check "build/greeter/ holds greeter.so" test -f "$plugin/build/greeter/greeter.so"
(cd "$plugin" && ctest --test-dir build --output-on-failure) >"$work/greeter-tests.log" 2>&1
status=$?
check "the new plugin's doctest tests pass" test "$status" -eq 0
check "ctest ran its 4 tests" grep -q '100% tests passed, 0 tests failed out of 4' "$work/greeter-tests.log"

echo "== building plugins/hello from a copy, the same way"
cp -r "$source/plugins/hello" "$work/hello"
rm -rf "$work/hello/build"
(cd "$work/hello" && cmake -S . -B build -DCMAKE_PREFIX_PATH="$work/prefix" && cmake --build build) \
  >"$work/hello-build.log" 2>&1 || { tail -60 "$work/hello-build.log"; fatal "building hello"; }
ok "hello configured and built against the installed SDK alone"

echo "== a data folder with two associations and both plugins"
data="$work/data"
"$ruche" org create --data "$data" --slug jardins --name "Les Jardins" >/dev/null || fatal "ruche org create jardins"
"$ruche" org create --data "$data" --slug voisins --name "Les Voisins" >/dev/null || fatal "ruche org create voisins"
mkdir -p "$data/plugins"
cp -r "$plugin/build/greeter" "$data/plugins/greeter"
cp -r "$work/hello/build/hello" "$data/plugins/hello"
ok "the built plugin folders are in $data/plugins"

"$ruche" serve --data "$data" --listen 127.0.0.1:0 >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
url=""
for _ in $(seq 1 600); do
  if grep -q "running at http://" "$work/server.out"; then
    url="$(grep -o 'http://[0-9.:]*' "$work/server.out" | head -1)"
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.out"; fatal "ruche serve exited early"; }
  sleep 0.1
done
[[ -n "$url" ]] || fatal "ruche serve printed no URL within 60 s"
ok "ruche serve listens at $url"
check "the server log says greeter loaded" log_has 'plugin "greeter" 0.1.0 loaded'
check "the server log says hello loaded" log_has 'plugin "hello" 1.0.0 loaded'

get() {  # get PATH BODY_FILE -> prints the status
  curl -s -o "$2" -w '%{http_code}' "$url$1"
}

status="$(get /a/jardins/greeter "$work/off.html")"
check "before it is enabled, GET /a/jardins/greeter is 404 (got $status)" test "$status" == 404

# Enabling for an association needs no restart.
enable() {  # enable PLUGIN SLUG
  "$ruche" plugin enable "$1" --org "$2" --data "$data"
}
enable greeter jardins || fatal "enabling greeter for jardins"
enable hello jardins || fatal "enabling hello for jardins"
ok "greeter and hello enabled for jardins while the server runs"

status="$(get /a/jardins/greeter "$work/greeter.html")"
check "GET /a/jardins/greeter is 200 (got $status)" test "$status" == 200
check "the page shows the greeting setting's default" grep -q 'Bienvenue !' "$work/greeter.html"
check "the page has the plugin's h1 in the site layout" \
  bash -c "grep -q '<h1>Greeter</h1>' '$work/greeter.html' && grep -qi '<html' '$work/greeter.html'"
check "the page counts the items in French" grep -q '0 élément\.' "$work/greeter.html"

status="$(get /a/jardins/hello "$work/hello.html")"
check "GET /a/jardins/hello is 200 (got $status)" test "$status" == 200
check "hello's page shows its greeting" grep -q '<p class="lead">Bonjour</p>' "$work/hello.html"

type="$(curl -s -o "$work/items.json" -w '%{content_type}' "$url/api/v1/associations/jardins/greeter/items")"
check "greeter's JSON route answers application/json (got $type)" test "$type" == "application/json"
check "…with {\"count\":0,\"items\":[]}" test "$(cat "$work/items.json")" == '{"count":0,"items":[]}'
status="$(get /api/v1/associations/jardins/hello/greetings "$work/greetings.json")"
check "hello's JSON route answers 200 {\"count\":0} (got $status)" \
  bash -c "[[ $status == 200 ]] && [[ \$(cat '$work/greetings.json') == '{\"count\":0}' ]]"

# The generated form, signed in: post/redirect/get, then a 422 with the
# field's error in French.
"$ruche" user create --data "$data" --email ana@example.org --name "Ana" --password "correct horse battery" \
  >/dev/null || fatal "ruche user create"
jar="$work/cookies.txt"
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//; s/"$//'; }
curl -s -c "$jar" -b "$jar" -o "$work/login.html" "$url/login"
status="$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$(csrf_of "$work/login.html")" \
  --data-urlencode email=ana@example.org --data-urlencode "password=correct horse battery" "$url/login")"
check "signing in answers 303 (got $status)" test "$status" == 303
curl -s -c "$jar" -b "$jar" -o "$work/signed.html" "$url/a/jardins/greeter"
check "signed in, greeter's page shows its form" grep -q 'action="/a/jardins/greeter/items"' "$work/signed.html"
token="$(csrf_of "$work/signed.html")"
location="$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' --data-urlencode "_csrf=$token" \
  --data-urlencode "label=  Semis   de printemps " "$url/a/jardins/greeter/items")"
check "posting a label answers 303 back to the page (got $location)" \
  test "$location" == "303 $url/a/jardins/greeter?added=1"
check "the JSON route lists the cleaned label" \
  test "$(curl -s "$url/api/v1/associations/jardins/greeter/items")" == '{"count":1,"items":[{"id":1,"label":"Semis de printemps"}]}'
status="$(curl -s -c "$jar" -b "$jar" -o "$work/invalid.html" -w '%{http_code}' --data-urlencode "_csrf=$token" \
  --data-urlencode "label=   " "$url/a/jardins/greeter/items")"
check "a blank label answers 422 (got $status)" test "$status" == 422
check "…with the French message next to the field" \
  bash -c "grep -q 'Ce champ est obligatoire.' '$work/invalid.html' && grep -q 'aria-invalid=\"true\"' '$work/invalid.html'"

for path in /a/voisins/greeter /a/voisins/hello /api/v1/associations/voisins/greeter/items; do
  status="$(get "$path" "$work/voisins.txt")"
  check "where the plugins are off, GET $path is 404 (got $status)" test "$status" == 404
done

status="$(get /a/jardins/hello/boom "$work/boom.html")"
check "GET /a/jardins/hello/boom fails with 500 (got $status)" test "$status" == 500
check "the 500 page names no internals" bash -c "! grep -q 'hello boom' '$work/boom.html'"
status="$(get /healthz "$work/health.txt")"
check "after it, /healthz still answers 200 (got $status)" test "$status" == 200
status="$(get /a/jardins/greeter "$work/greeter2.html")"
check "…and greeter still answers 200 (got $status)" test "$status" == 200
check "the log names the plugin that failed" log_has 'plugin "hello" failed on GET /a/jardins/hello/boom'

kill -TERM "$server_pid"
wait "$server_pid"
status=$?
server_pid=""
check "ruche serve stops with status 0 on SIGTERM (got $status)" test "$status" -eq 0

if [[ "$failures" -ne 0 ]]; then
  echo "$failures check(s) failed"
  tail -40 "$work/server.log"
  exit 1
fi
echo "all checks passed"
