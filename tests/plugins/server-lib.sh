# Shared by the plugin tests that drive the real `ruche serve`: a work
# folder removed at exit (with any server still running), fail, stop.
# Source it after setting `ruche`; it sets `work` (mktemp under /tmp).
work="$(mktemp -d /tmp/ruche-plugins-XXXXXX)"
server_pid=""
failure_log=""  # a log whose tail `fail` shows, when set

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*" >&2
  [[ -n "$failure_log" && -f "$failure_log" ]] && tail -30 "$failure_log" >&2
  exit 1
}

# Stops the server with SIGTERM; it must exit cleanly.
stop() {
  kill -TERM "$server_pid"
  wait "$server_pid" || fail "ruche serve did not exit cleanly after SIGTERM"
  server_pid=""
}
