#!/usr/bin/env bash
# A signature acknowledged is never lost and never counted twice, even when
# the server is killed with SIGKILL in the middle of a burst of signatures.
#
# The real `ruche serve` with the petitions plugin installed and enabled in
# one association and an open petition; many concurrent clients sign it over
# HTTP with distinct e-mails and write down each signature acknowledged (the
# 303 to "?signed=check"); the server is killed with SIGKILL mid-burst and
# started again; those whose request was cut off, and a few who had their
# answer, sign again. Then every acknowledged signature is stored exactly once,
# nothing is stored that nobody sent, each stored signature has its
# confirmation mail queued, the public counts match the rows, and some of the
# acknowledged signatures are confirmed after the restart and counted once.
#
#   petitions-sigkill.sh PATH/TO/ruche PLUGINS_BUILD_DIR sqlite
#   petitions-sigkill.sh PATH/TO/ruche PLUGINS_BUILD_DIR postgres PG_CLUSTER PG_DIR
#
# The burst's clients send X-Forwarded-For (loopback is a trusted proxy), each
# request from its own documentation address (2001:db8::/32), as a national
# burst comes from many networks: the per-IP limit stays on and is not what
# is measured here.
#
# Checked to fail when an answer comes before its commit: with the plugin
# patched (by hand, not committed) to queue each new signature in memory and
# write it in a later request's transaction, the test fails on both backends
# with "1 acknowledged signatures were lost".
set -u
ruche="$1"
built="$2"
backend="$3"
source "$(dirname "$0")/server-lib.sh"
failure_log="$work/serve.log"

readonly kSlug="burst"
readonly kClients=12
readonly kAckedBeforeKill=150  # the kill comes once this many were acknowledged
readonly kPassword="correct horse battery"
data="$work/data"

if [[ "$backend" == "postgres" ]]; then
  database_url="$("$4" createdb "$5" "ruche_sigkill_$$")" || fail "cannot create the PostgreSQL database"
  export RUCHE_DATABASE_URL="$database_url"
  sql() { psql "$database_url" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
elif [[ "$backend" == "sqlite" ]]; then
  unset RUCHE_DATABASE_URL
  sql() { sqlite3 "$data/ruche.db" "$1"; }
else
  fail "unknown backend \"$backend\" (sqlite or postgres)"
fi
echo "backend: $backend"

# Starts `ruche serve` in the background and waits for its URL.
start() {
  "$ruche" serve --data "$data" --listen 127.0.0.1:0 >"$work/$1.out" 2>"$work/$1.log" &
  server_pid=$!
  failure_log="$work/$1.log"
  for _ in $(seq 1 300); do
    if grep -q "running at http://" "$work/$1.out"; then
      url="$(grep -o 'http://[0-9.:]*' "$work/$1.out" | head -1)"
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || fail "ruche serve ($1) exited early"
    sleep 0.1
  done
  fail "ruche serve ($1) printed no URL within 30 s"
}

"$ruche" org create --slug "$kSlug" --name "Pétitions en rafale" --data "$data" >/dev/null || fail "ruche org create"
"$ruche" user create --email coord@example.org --name Camille --password "$kPassword" --data "$data" >/dev/null ||
  fail "ruche user create"
"$ruche" user grant --email coord@example.org --org "$kSlug" --role coordinator --data "$data" >/dev/null ||
  fail "ruche user grant"
"$ruche" plugin install "$built/petitions/petitions" --data "$data" >/dev/null || fail "ruche plugin install"
"$ruche" plugin enable petitions --org "$kSlug" --data "$data" >/dev/null || fail "ruche plugin enable"

start first
home="$url/a/$kSlug/petitions"

# The coordinator signs in and opens a petition through the form.
jar="$work/coordinator.jar"
curl -s -o /dev/null -c "$jar" "$url/login" || fail "GET /login"
csrf="$(awk '$6 == "ruche_csrf" { print $7 }' "$jar")"
[[ -n "$csrf" ]] || fail "no CSRF cookie from /login"
status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "email=coord@example.org" --data-urlencode "password=$kPassword" "$url/login")"
[[ "$status" == "303" ]] || fail "signing in answered $status, not 303"
# Signed in, the token is the session's: read it from the form.
csrf="$(curl -s -b "$jar" "$home/manage/new" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | cut -d'"' -f4)"
[[ -n "$csrf" ]] || fail "no CSRF field on the new petition form"
status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "title=Sauvons le rucher" --data-urlencode "body=Un texte." \
  --data-urlencode "addressee=La mairie" --data-urlencode "goal=100000" --data-urlencode "status=open" \
  "$home/manage/new")"
[[ "$status" == "303" ]] || fail "creating the petition answered $status, not 303"
petition="$(sql "SELECT MAX(id) FROM petitions_petitions")"
[[ -n "$petition" ]] || fail "no petition stored"
echo "petition $petition open at $home/$petition"

# One visitor's CSRF cookie, as a browser gets it from the petition's page.
visitor_jar="$work/visitor.jar"
status="$(curl -s -o /dev/null -w '%{http_code}' -c "$visitor_jar" "$home/$petition")"
[[ "$status" == "200" ]] || fail "the petition's page answered $status"
token="$(awk '$6 == "ruche_csrf" { print $7 }' "$visitor_jar")"
[[ -n "$token" ]] || fail "no CSRF cookie from the petition's page"

# One client: signs with its own e-mails until a request gets no answer (the
# server is gone) or the stop file appears. sent.N lists what it sent,
# acked.N what the server acknowledged: written only once the 303 arrived.
client() {
  local c="$1" i=0 email answer code
  while [[ ! -e "$work/stop" ]]; do
    email="signer-$c-$i@burst.example.org"
    echo "$email" >>"$work/sent.$c"
    answer="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 20 -b "ruche_csrf=$token" \
      -H "X-Forwarded-For: 2001:db8::$((c + 1)):$((i + 1))" --data-urlencode "_csrf=$token" \
      --data-urlencode "name=Signataire $c $i" --data-urlencode "email=$email" "$home/$petition/sign")"
    code=$?
    case "$answer" in
      "303 "*"?signed=check") echo "$email" >>"$work/acked.$c" ;;
      "000 "*)  # no answer: not acknowledged. curl 7: refused (after the kill), else cut off in flight
        [[ $code -eq 7 ]] && echo "$email" >>"$work/refused-connection.$c" || echo "$email" >>"$work/cut.$c"
        return 0 ;;
      *) echo "$email $answer" >>"$work/refused.$c" ;;
    esac
    i=$((i + 1))
  done
}

acked() { cat "$work"/acked.* 2>/dev/null | wc -l; }
# Client connections open on the server's port now (requests in flight).
port="${url##*:}"
in_flight() {
  if command -v ss >/dev/null; then ss -Htn state established "( dport = :$port )" | wc -l; else echo 99; fi
}

echo "burst: $kClients clients; SIGKILL once $kAckedBeforeKill signatures are acknowledged"
clients=()
for c in $(seq 1 "$kClients"); do
  client "$c" &
  clients+=($!)
done
flying=0
for _ in $(seq 1 1200); do
  if [[ "$(acked)" -ge "$kAckedBeforeKill" ]]; then
    flying="$(in_flight)"
    [[ "$flying" -ge 3 ]] && break
  fi
  kill -0 "$server_pid" 2>/dev/null || fail "the server died during the burst"
  sleep 0.05
done
[[ "$(acked)" -ge "$kAckedBeforeKill" ]] || { touch "$work/stop"; fail "only $(acked) signatures acknowledged in 60 s"; }
kill -KILL "$server_pid"
wait "$server_pid" 2>/dev/null
server_pid=""
touch "$work/stop"  # a client between two requests stops too
for pid in "${clients[@]}"; do
  wait "$pid"
done

cat "$work"/sent.* | sort >"$work/sent"
cat "$work"/acked.* | sort >"$work/acked"
cat "$work"/refused.* 2>/dev/null >"$work/refused"
[[ -s "$work/refused" ]] && { head -5 "$work/refused" >&2; fail "$(wc -l <"$work/refused") signatures refused"; }
cut="$(cat "$work"/cut.* 2>/dev/null | wc -l)"
echo "killed with $flying connections open: $(wc -l <"$work/sent") sent, $(wc -l <"$work/acked") acknowledged," \
  "$cut cut off in flight"
# Mid-burst: requests were in flight when the server died (the kill waits
# for open client connections, so this does not depend on luck).
[[ "$cut" -ge 1 ]] || fail "no request was in flight: the kill did not land mid-burst"

start second
home="$url/a/$kSlug/petitions"
echo "restarted at $url"

# As people do when a page did not answer: those cut off sign again, and so
# do some who had their answer. Each gets an answer; none is stored twice.
again=0
for email in $(cat "$work"/cut.* 2>/dev/null) $(tail -3 "$work/acked"); do
  again=$((again + 1))
  answer="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "ruche_csrf=$token" \
    -H "X-Forwarded-For: 2001:db8::ffff:$again" --data-urlencode "_csrf=$token" \
    --data-urlencode "name=Signataire" --data-urlencode "email=$email" "$home/$petition/sign")"
  [[ "$answer" =~ ^303\ .*\?signed=(check|recent)$ ]] || fail "signing again as $email answered $answer"
done

rows_for() {
  sql "SELECT email FROM petitions_signatures WHERE petition_id = $petition AND email LIKE '%@burst.example.org'" |
    sort >"$work/stored"
}
rows_for
missing="$(comm -23 "$work/acked" "$work/stored" | wc -l)"
[[ "$missing" == "0" ]] || { comm -23 "$work/acked" "$work/stored" | head -5 >&2; fail "$missing acknowledged signatures were lost"; }
unsent="$(comm -13 "$work/sent" "$work/stored" | wc -l)"
[[ "$unsent" == "0" ]] || fail "$unsent stored signatures were never sent"
twice="$(uniq -d "$work/stored" | wc -l)"
[[ "$twice" == "0" ]] || fail "$twice e-mails stored twice"
twice="$(sql "SELECT COUNT(*) FROM (SELECT email_key FROM petitions_signatures GROUP BY petition_id, email_key
              HAVING COUNT(*) > 1) d")"
[[ "$twice" == "0" ]] || fail "$twice normalised e-mails stored twice"
stored="$(wc -l <"$work/stored")"
echo "stored: $stored, every acknowledged one once; $again signed again, none twice"

# Each stored signature had its confirmation mail queued in its transaction
# (sendMails queues them by the hundred: one event, a list of mails).
if [[ "$backend" == "postgres" ]]; then
  queued_mails="SELECT m::text AS mail FROM event_outbox e, json_array_elements(e.payload::json -> 'mails') m
                WHERE e.topic = 'plugin.mails'"
else
  queued_mails="SELECT m.value AS mail FROM event_outbox e, json_each(e.payload, '$.mails') m
                WHERE e.topic = 'plugin.mails'"
fi
mails="$(sql "SELECT COUNT(*) FROM ($queued_mails) q WHERE mail LIKE '%@burst.example.org%'")"
[[ "$mails" == "$stored" ]] || fail "$mails confirmation mails queued for $stored signatures"

# The public counts match the rows: all pending, none confirmed yet.
page="$(curl -s -H "Accept-Language: en" "$home/$petition")"
grep -q "$stored signatures waiting for confirmation" <<<"$page" ||
  fail "the page does not show $stored pending: $(grep -o '<p id="counts">.*' <<<"$page")"
grep -q "0 confirmed signatures" <<<"$page" || fail "the page does not show 0 confirmed"

# The last acknowledged signatures before the kill are confirmed after the
# restart, each counted once; confirming again changes nothing.
confirmed=0
for email in $(tail -5 "$work/acked"); do
  # The link of the confirmation mail queued with the signature (the
  # database keeps only a hash of its token).
  link="$(sql "SELECT mail FROM ($queued_mails) q WHERE mail LIKE '%\"to\":\"$email\"%'" |
    grep -o '/confirm/[A-Za-z0-9_.-]*' | head -1)"
  link="${link#/confirm/}"
  [[ -n "$link" ]] || fail "no confirmation mail queued for $email"
  answer="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "ruche_csrf=$token" \
    --data-urlencode "_csrf=$token" "$home/confirm/$link")"
  [[ "$answer" == "303 "*"?signed=confirmed" ]] || fail "confirming $email after the restart answered $answer"
  confirmed=$((confirmed + 1))
  answer="$(curl -s -o /dev/null -w '%{http_code}' -b "ruche_csrf=$token" --data-urlencode "_csrf=$token" \
    "$home/confirm/$link")"
  [[ "$answer" == "409" ]] || fail "confirming $email twice answered $answer, not 409"
done
counted="$(sql "SELECT COALESCE(SUM(n), 0) FROM petitions_counters WHERE petition_id = $petition")"
[[ "$counted" == "$confirmed" ]] || fail "$counted counted for $confirmed confirmations"
page="$(curl -s -H "Accept-Language: en" "$home/$petition")"
grep -q "$confirmed confirmed signatures" <<<"$page" || fail "the page does not show $confirmed confirmed"
grep -q "$((stored - confirmed)) signatures waiting for confirmation" <<<"$page" ||
  fail "the page does not show $((stored - confirmed)) pending"
echo "confirmed $confirmed after the restart, counted once each"

stop
echo "ok"
