#!/usr/bin/env bash
# Drives the real `ruche` binary: cli-test.sh SCENARIO PATH/TO/ruche [ARG]
# Scenarios: demo, doctor, user, config, plugin (ARG: the probe plugin's built folder). Exits non-zero with a message on the
# first failed check.
set -u
scenario="$1"
ruche="$2"
work="$(mktemp -d /tmp/ruche-cli-XXXXXX)"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

check() {  # check DESCRIPTION COMMAND...
  local what="$1"
  shift
  "$@" || fail "$what"
}

# Starts `ruche demo` in the background and waits for its URL line.
start_demo() {
  local out="$1"
  "$ruche" demo --data "$work/data" --listen 127.0.0.1:0 >"$out" 2>"$out.log" &
  server_pid=$!
  for _ in $(seq 1 600); do
    if grep -q "running at http://" "$out"; then
      url="$(grep -o 'http://[0-9.:]*' "$out" | head -1)"
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$out" "$out.log" >&2; fail "ruche demo exited early"; }
    sleep 0.1
  done
  fail "ruche demo printed no URL within 60 s"
}

stop_demo() {
  kill -TERM "$server_pid"
  wait "$server_pid"
  local status=$?
  server_pid=""
  [[ $status -eq 0 ]] || fail "ruche demo exited with $status after SIGTERM (expected 0)"
}

http_get() {  # http_get PATH BODY_FILE -> prints the status
  curl -s -o "$2" -w '%{http_code}' "$url$1"
}

scenario_demo() {
  start_demo "$work/first.txt"
  local password counts
  password="$(grep 'Admin password:' "$work/first.txt" | awk '{print $3}')"
  counts="$(grep 'published missions' "$work/first.txt")"
  [[ -n "$password" ]] || fail "the first run printed no admin password"
  grep -q 'admin@demo.ruche.local' "$work/first.txt" || fail "the admin e-mail is not printed"
  [[ "$(stat -c %a "$work/data/demo-admin.txt")" == "600" ]] || fail "demo-admin.txt is not mode 0600"

  [[ "$(http_get / "$work/home.html")" == "200" ]] || fail "GET / is not 200"
  grep -Eq '[1-9][0-9]* missions ouvertes' "$work/home.html" || fail "the home page shows no open missions"
  local status
  status="$(http_get /missions "$work/missions.html")"
  [[ "$status" == "200" ]] || fail "GET /missions is $status, not 200 (are the mission pages merged?)"
  grep -q 'Atelier de conversation en français' "$work/missions.html" \
    || grep -q 'Permanence d' "$work/missions.html" || fail "/missions shows none of the demo missions"
  stop_demo

  start_demo "$work/second.txt"
  grep -q "Admin password: $password" "$work/second.txt" || fail "the second run printed another password"
  grep -qF "$counts" "$work/second.txt" || fail "the second run has other counts: $(grep 'published' "$work/second.txt") vs $counts"
  grep -q 'Creating the demo' "$work/second.txt" && fail "the second run created the demo again"
  [[ "$(http_get / "$work/home2.html")" == "200" ]] || fail "GET / is not 200 on the second run"
  stop_demo
}

scenario_doctor() {
  check "ruche migrate works" "$ruche" migrate --data "$work/data" >/dev/null
  "$ruche" doctor --data "$work/data" >"$work/good.txt" 2>&1
  local status=$?
  cat "$work/good.txt"
  [[ $status -eq 0 ]] || fail "doctor exited $status on a good folder"
  grep -q '^FAIL' "$work/good.txt" && fail "doctor printed a FAIL line on a good folder"
  grep -q '^OK   database' "$work/good.txt" || fail "doctor did not report the database"
  grep -q '^WARN mail' "$work/good.txt" || fail "doctor did not warn that mail is not configured"

  RUCHE_DATABASE_URL=postgresql://x:y@127.0.0.1:1/none "$ruche" doctor --data "$work/data" >"$work/bad.txt" 2>&1
  status=$?
  cat "$work/bad.txt"
  [[ $status -eq 1 ]] || fail "doctor exited $status on an unreachable PostgreSQL (expected 1)"
  grep -q '^FAIL database' "$work/bad.txt" || fail "doctor printed no FAIL line for the database"
}

scenario_user() {
  check "user create" "$ruche" user create --data "$work/data" --email Awa@Example.org --name "Awa Diallo" \
    --password "correct horse battery" --admin
  echo "another good password" | "$ruche" user create --data "$work/data" --email karim@example.org \
    --name "Karim Benali" || fail "user create with the password on stdin"
  "$ruche" user create --data "$work/data" --email awa@example.org --name "Twice" --password "correct horse battery" \
    2>"$work/dup.txt" && fail "a second account with the same e-mail was created"
  grep -q 'email' "$work/dup.txt" || fail "the duplicate e-mail error does not name the field"
  check "org create" "$ruche" org create --data "$work/data" --slug jardins --name "Les Jardins Partagés"
  check "user grant" "$ruche" user grant --data "$work/data" --email karim@example.org --org jardins --role coordinator
  "$ruche" user list --data "$work/data" >"$work/users.txt" || fail "user list"
  cat "$work/users.txt"
  grep -q 'awa@example.org.*federation-admin' "$work/users.txt" || fail "user list does not show the admin"
  grep -q 'karim@example.org' "$work/users.txt" || fail "user list does not show the second account"
  "$ruche" org list --data "$work/data" >"$work/orgs.txt" || fail "org list"
  grep -q 'jardins.*Les Jardins Partagés *1' "$work/orgs.txt" || fail "org list does not show one member"
  "$ruche" user grant --data "$work/data" --email nobody@example.org --org jardins --role admin 2>/dev/null \
    && fail "a role was given to an unknown account"
  return 0
}

scenario_config() {
  printf 'data.dir = %s\nnonsense.key = 1\n' "$work/data" >"$work/bad.conf"
  "$ruche" user list --config "$work/bad.conf" >"$work/out.txt" 2>"$work/err.txt"
  local status=$?
  [[ $status -eq 2 ]] || fail "a bad config key exited $status (expected 2)"
  [[ "$(wc -l <"$work/err.txt")" -eq 1 ]] || fail "expected one line, got: $(cat "$work/err.txt")"
  grep -q 'nonsense.key' "$work/err.txt" || fail "the message does not name the key: $(cat "$work/err.txt")"
  "$ruche" doctor --config "$work/bad.conf" >"$work/doctor.txt" 2>&1
  status=$?
  [[ $status -eq 2 ]] || fail "doctor with a bad config key exited $status (expected 2)"
  grep -q '^FAIL config.*nonsense.key' "$work/doctor.txt" || fail "doctor does not name the bad key"
}

# expect_refusal DESCRIPTION PATTERN COMMAND...: the command exits 1 and its
# standard error matches PATTERN (grep -E).
expect_refusal() {
  local what="$1" pattern="$2"
  shift 2
  "$@" >"$work/out.txt" 2>"$work/err.txt"
  local status=$?
  [[ $status -eq 1 ]] || fail "$what: exited $status (expected 1): $(cat "$work/out.txt" "$work/err.txt")"
  grep -Eq "$pattern" "$work/err.txt" || fail "$what: the message does not match $pattern: $(cat "$work/err.txt")"
}

plugin_list() {
  "$ruche" plugin list --data "$work/data" >"$work/list.txt" 2>&1 || fail "plugin list exited non-zero"
  cat "$work/list.txt"
}

scenario_plugin() {
  local probe="$1" data="$work/data"
  [[ -f "$probe/cli_probe.so" && -f "$probe/plugin.json" ]] || fail "no built probe plugin in $probe"
  check "org create" "$ruche" org create --data "$data" --slug jardins --name "Les Jardins"
  plugin_list
  grep -q '^0 plugins' "$work/list.txt" || fail "a fresh folder lists plugins"

  # Refused installs: a corrupt manifest names the file and the field; a folder without its library.
  mkdir -p "$work/src/broken" "$work/src/nolib"
  printf '{"name": "broken", "version": "one", "sdk": ">=1", "title": {"fr": "a", "en": "b"},
           "description": {"fr": "a", "en": "b"}}' >"$work/src/broken/plugin.json"
  expect_refusal "a manifest with a bad version" 'broken/plugin\.json: field "version"' \
    "$ruche" plugin install "$work/src/broken" --data "$data"
  sed 's/cli_probe/nolib/' "$probe/plugin.json" >"$work/src/nolib/plugin.json"
  expect_refusal "a folder without its library" 'nolib\.so: missing' \
    "$ruche" plugin install "$work/src/nolib" --data "$data"
  expect_refusal "a path that is no folder" 'not a folder' "$ruche" plugin install "$work/nowhere" --data "$data"
  cp -r "$probe" "$work/src/cli_probe"
  echo 'CREATE TABLE cli_probe_notes (id INTEGER PRIMARY KEY) garbage;' >"$work/src/cli_probe/migrations/001_notes.sql"
  expect_refusal "a plugin whose migration fails" 'a migration failed, nothing was installed' \
    "$ruche" plugin install "$work/src/cli_probe" --data "$data"
  [[ -z "$(ls -A "$data/plugins" 2>/dev/null)" ]] || fail "a refused install left files: $(ls -A "$data/plugins")"

  # A good install: copied, migrated, recorded, and the restart advice printed.
  "$ruche" plugin install "$probe" --data "$data" >"$work/install.txt" 2>&1 || fail "install: $(cat "$work/install.txt")"
  cat "$work/install.txt"
  grep -q 'installed cli_probe 1.0.0' "$work/install.txt" || fail "install did not say what it installed"
  grep -q 'applied 1 migration of plugin:cli_probe' "$work/install.txt" || fail "install applied no migration"
  grep -q 'systemctl reload ruche' "$work/install.txt" || fail "install did not say how to load the library"
  [[ -f "$data/plugins/cli_probe/cli_probe.so" ]] || fail "the library was not copied"
  [[ -z "$(find "$data/plugins" -maxdepth 1 -name '.*' -print -quit)" ]] || fail "a temporary folder was left"
  expect_refusal "a second install" 'already installed.*--upgrade' "$ruche" plugin install "$probe" --data "$data"
  "$ruche" plugin install "$probe" --upgrade --data "$data" >"$work/upgrade.txt" 2>&1 \
    || fail "install --upgrade with the same version: $(cat "$work/upgrade.txt")"
  grep -q 'upgraded cli_probe from 1.0.0 to 1.0.0' "$work/upgrade.txt" || fail "the upgrade was not reported"
  plugin_list
  grep -Eq '^cli_probe +1\.0\.0 +0 +active — ok$' "$work/list.txt" || fail "list does not show the probe active and ok"

  # Per association, then federation-wide.
  check "enable in jardins" "$ruche" plugin enable cli_probe --org jardins --data "$data"
  expect_refusal "an unknown association" 'no association named nowhere' \
    "$ruche" plugin enable cli_probe --org nowhere --data "$data"
  expect_refusal "enabling an unknown plugin" 'plugin "ghost": not installed' \
    "$ruche" plugin enable ghost --data "$data"
  expect_refusal "an unknown plugin in an association" 'plugin "ghost": not installed' \
    "$ruche" plugin disable ghost --org jardins --data "$data"
  check "disable for the federation" "$ruche" plugin disable cli_probe --data "$data"
  plugin_list
  grep -Eq '^cli_probe +1\.0\.0 +1 +disabled \(switched off by a federation admin\) — ok$' "$work/list.txt" \
    || fail "list does not show the probe disabled and enabled in one association"
  check "enable for the federation" "$ruche" plugin enable cli_probe --data "$data"
  plugin_list
  grep -Eq '^cli_probe .* active — ok$' "$work/list.txt" || fail "enable did not make the probe active again"

  # A corrupt folder dropped by hand is listed with its problem.
  mkdir -p "$data/plugins/junk"
  echo '{' >"$data/plugins/junk/plugin.json"
  plugin_list
  grep -Eq '^junk .*junk/plugin\.json: not a JSON object' "$work/list.txt" || fail "list does not show junk's problem"

  # Remove keeps the data; purge drops it.
  check "remove" "$ruche" plugin remove cli_probe --data "$data"
  [[ ! -e "$data/plugins/cli_probe" ]] || fail "remove left the folder"
  plugin_list
  grep -Eq '^cli_probe +1\.0\.0 +1 +removed' "$work/list.txt" || fail "list does not show the removed plugin"
  "$ruche" plugin remove cli_probe --purge --data "$data" >"$work/purge.txt" 2>&1 || fail "purge: $(cat "$work/purge.txt")"
  grep -q 'tables dropped: cli_probe_notes' "$work/purge.txt" || fail "purge did not name the dropped table"
  plugin_list
  grep -q '^cli_probe' "$work/list.txt" && fail "a purged plugin is still listed"
  expect_refusal "removing an unknown plugin" 'plugin "ghost": not installed' \
    "$ruche" plugin remove ghost --data "$data"
  "$ruche" plugin remove --data "$data" >/dev/null 2>&1
  [[ $? -eq 2 ]] || fail "remove without a name is not a usage error"
  return 0
}

case "$scenario" in
  demo) scenario_demo ;;
  doctor) scenario_doctor ;;
  user) scenario_user ;;
  config) scenario_config ;;
  plugin) scenario_plugin "${3:-}" ;;
  *) fail "unknown scenario $scenario" ;;
esac
echo "cli $scenario: ok"
