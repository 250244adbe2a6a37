#!/usr/bin/env bash
# bench/http.sh [SERVER...]: the page benchmark of issue 14 §2.
#
# For each server executable given (default: target/release/server, built with
# `cargo build --release -p server`), one after another on this machine: start it on a fresh
# SQLite database with the demo data, log the demo admin in, and run wrk (1 thread, 64
# connections, 10 s each) against
#   /healthz               the stack's own ceiling (a database ping, every middleware layer)
#   /                      the public home page, as a visitor (no cookie: the page cache's case)
#   / (logged in)          the same page with the admin's session cookie (always rendered)
#   /portal                the logged-in overview
#   /portal/funds/flow     the fund flow (a page of ledger postings)
#   POST /api/funds_overview  one server function (balances)
# and print one table with req/s, p50 and p99 per server and path. Give two executables (an
# earlier commit's and this one's) to measure before and after side by side in one run:
#   git worktree add /tmp/before <commit> && (cd /tmp/before && cargo build --release -p server)
#   bench/http.sh /tmp/before/target/release/server target/release/server
# Needs wrk (Debian: apt-get install wrk) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
SECONDS_EACH=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
[ $# -gt 0 ] || set -- target/release/server
SITE=${BENCH_SITE_ROOT:-target/site}

WORK=$(mktemp -d /tmp/bench-http.XXXXXX)
PID=
finish() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap finish EXIT

# A wrk script for the POST of a server function (the cookie comes in the environment).
cat > "$WORK/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.body = ""
EOF
cat > "$WORK/get.lua" <<'EOF'
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Accept"] = "text/html"
EOF
cat > "$WORK/anon.lua" <<'EOF'
wrk.headers["Accept"] = "text/html"
EOF

# wrk's "Requests/sec" and its 50% and 99% latencies, as "req/s p50 p99".
measure() { # measure URL SCRIPT
  local out
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency -s "$2" "$1")
  if grep -q -E "Non-2xx or 3xx responses|Socket errors" <<<"$out"; then
    echo "error: $1 answered with errors:" >&2; echo "$out" >&2; exit 1
  fi
  awk '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "%.0f %s %s", r, p50, p99}' <<<"$out"
}

printf '%-28s %-24s %10s %10s %10s\n' server path req/s p50 p99
n=0
for server in "$@"; do
  n=$((n + 1))
  [ -x "$server" ] || { echo "error: $server is not an executable" >&2; exit 2; }
  label=$server; [ ${#label} -gt 28 ] && label="…${label: -27}"
  port=$((3900 + n))
  data="$WORK/data$n"
  "$server" --listen "127.0.0.1:$port" --data-dir "$data" --site-root "$SITE" \
    --login-attempts-per-ip 100000 >"$WORK/server$n.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  cookie=$(curl -fs -D - -o /dev/null -H 'Accept: application/json' \
    --data-urlencode 'login=13800000000' --data-urlencode 'password=Demo-Admin-2026' \
    "http://127.0.0.1:$port/api/login" | tr -d '\r' | awk -F'[ ;]' 'tolower($1) == "set-cookie:" && $2 ~ /session=/ {print $2; exit}')
  [ -n "$cookie" ] || { echo "error: the demo admin could not log in to $server" >&2; cat "$WORK/server$n.log" >&2; exit 1; }
  export BENCH_COOKIE=$cookie
  base="http://127.0.0.1:$port"
  for row in "/healthz get" "/ anon" "/ get (logged in)" "/portal get" "/portal/funds/flow get"; do
    read -r path script name <<<"$row"
    r=$(measure "$base$path" "$WORK/$script.lua") || exit 1
    read -r rps p50 p99 <<<"$r"
    printf '%-28s %-24s %10s %10s %10s\n' "$label" "$path $name" "$rps" "$p50" "$p99"
  done
  r=$(measure "$base/api/funds_overview" "$WORK/post.lua") || exit 1
  read -r rps p50 p99 <<<"$r"
  printf '%-28s %-24s %10s %10s %10s\n' "$label" "POST /api/funds_overview" "$rps" "$p50" "$p99"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
