#!/usr/bin/env bash
# A plugin that kills the process while it is being loaded is skipped at the
# next start and reported; the server then serves, with the other plugins.
#   crash-on-load.sh PATH/TO/ruche PLUGINS_BUILD_DIR
set -u
ruche="$1"
built="$2"
source "$(dirname "$0")/server-lib.sh"

mkdir -p "$work/data/plugins"
cp -r "$built/probe/probe" "$work/data/plugins/probe"
cp -r "$built/crasher/crasher" "$work/data/plugins/crasher"

echo "first start: the crasher aborts the process while it is set up"
"$ruche" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/first.out" 2>"$work/first.log"
status=$?
[[ $status -ne 0 ]] || fail "the first start exited 0; the crasher should have killed it"
grep -q "running at" "$work/first.out" && fail "the first start served although a plugin crashed it while loading"
echo "  exited with $status, as expected"

# Starts `ruche serve` in the background and waits for its URL.
start() {
  "$ruche" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/$1.out" 2>"$work/$1.log" &
  server_pid=$!
  for _ in $(seq 1 300); do
    if grep -q "running at http://" "$work/$1.out"; then
      url="$(grep -o 'http://[0-9.:]*' "$work/$1.out" | head -1)"
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/$1.log" >&2; fail "ruche serve ($1) exited early"; }
    sleep 0.1
  done
  fail "ruche serve ($1) printed no URL within 30 s"
}

echo "second start: the crasher is skipped and reported, the server serves"
start second
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" == "200" ]] || fail "/healthz did not answer 200"
grep -q 'plugin "crasher" crashed the server while loading last time' "$work/second.log" ||
  { cat "$work/second.log" >&2; fail "no report of the crash in the log"; }
grep -q 'plugin "probe" 1.2.0 loaded' "$work/second.log" || fail "the probe plugin was not loaded"
state="$(sqlite3 "$work/data/ruche.db" "SELECT state FROM plugin_states WHERE name = 'crasher'")"
[[ "$state" == "crashed" ]] || fail "the crasher's state is \"$state\", expected crashed"
failures="$(sqlite3 "$work/data/ruche.db" "SELECT COUNT(*) FROM plugin_failures WHERE plugin = 'crasher' AND kind = 'load'")"
[[ "$failures" == "1" ]] || fail "expected one load failure recorded for the crasher, got $failures"
stop
echo "  served, crasher reported as crashed with its failure recorded"

echo "third start: still skipped, without loading it again"
start third
grep -q 'plugin "crasher": not loaded: crashed' "$work/third.log" ||
  { cat "$work/third.log" >&2; fail "the crasher was not reported as skipped"; }
stop

echo "ruche doctor warns about it"
"$ruche" doctor --data "$work/data" >"$work/doctor.txt" 2>&1
grep -q '^WARN plugins .*crasher: crashed' "$work/doctor.txt" || { cat "$work/doctor.txt"; fail "doctor did not warn"; }
grep -q '^OK   plugins .*probe 1.2.0: active' "$work/doctor.txt" || { cat "$work/doctor.txt"; fail "doctor did not list probe"; }
echo "ok"
