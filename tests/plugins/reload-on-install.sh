#!/usr/bin/env bash
# Installing a plugin is one command: `ruche plugin install` asks the server
# running on the same data folder to reload (SIGHUP), which finishes the
# requests in flight and starts again in the same process with the plugin.
#   reload-on-install.sh PATH/TO/ruche PLUGINS_BUILD_DIR
set -u
ruche="$1"
built="$2"
source "$(dirname "$0")/server-lib.sh"
failure_log="$work/serve.log"
status_of() { curl -s -o /dev/null -w '%{http_code}' "$1"; }

"$ruche" org create --slug jardins --name "Jardins partagés" --data "$work/data" >/dev/null ||
  fail "ruche org create"

"$ruche" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 300); do
  grep -q "running at http://" "$work/serve.out" && break
  kill -0 "$server_pid" 2>/dev/null || fail "ruche serve exited early"
  sleep 0.1
done
url="$(grep -o 'http://[0-9.:]*' "$work/serve.out" | tail -1)"
[[ -n "$url" ]] || fail "ruche serve printed no URL"
[[ "$(cat "$work/data/ruche.pid")" == "$server_pid" ]] || fail "the pid file does not name the server"
[[ "$(status_of "$url/a/jardins/probe/hello")" == "404" ]] || fail "the probe answers before it is installed"
echo "serving at $url (pid $server_pid), probe not installed: 404"

"$ruche" plugin install "$built/probe/probe" --data "$work/data" >"$work/install.txt" 2>&1 ||
  { cat "$work/install.txt"; fail "ruche plugin install"; }
grep -q "the running server (pid $server_pid) is reloading" "$work/install.txt" ||
  { cat "$work/install.txt"; fail "install did not ask the running server to reload"; }
"$ruche" plugin enable probe --org jardins --data "$work/data" >/dev/null || fail "ruche plugin enable"
echo "installed and enabled with two commands; the server reloads"

# The same process starts again and prints its (new) URL a second time.
for _ in $(seq 1 300); do
  [[ "$(grep -c "running at http://" "$work/serve.out")" -ge 2 ]] && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server died while reloading"
  sleep 0.1
done
[[ "$(grep -c "running at http://" "$work/serve.out")" -ge 2 ]] || fail "the server did not come back within 30 s"
url="$(grep -o 'http://[0-9.:]*' "$work/serve.out" | tail -1)"
kill -0 "$server_pid" 2>/dev/null || fail "the server process is gone"
[[ "$(cat "$work/data/ruche.pid")" == "$server_pid" ]] || fail "the reloaded server has another pid"
body="$(curl -s "$url/a/jardins/probe/hello")"
[[ "$body" == "probe says hello" ]] || fail "after the reload the probe answers \"$body\""
grep -q 'plugin "probe" 1.2.0 loaded' "$work/serve.log" || fail "no log line for the probe's loading"
echo "same pid $server_pid, probe answers at $url"

stop
[[ ! -e "$work/data/ruche.pid" ]] || fail "the pid file is left behind"
echo "ok"
