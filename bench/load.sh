#!/usr/bin/env bash
# Load benchmark of the HTTP server with durable storage on (embedded H2 file, group commit), on loopback.
# Usage: bench/load.sh [DURATION_SECONDS] [CONNECTIONS, default 16]    (needs wrk: apt-get install wrk)
# One wrk thread: wrk shares the machine's two cores with the server, and one thread keeps it from taking half.
# Database: a fresh embedded H2 file (the default store) unless MEDPOLICY_BENCH_DB names another JDBC URL
# (e.g. jdbc:postgresql://localhost/medpolicy, with MEDPOLICY_DB_USER / MEDPOLICY_DB_PASSWORD).
# MEDPOLICY_BENCH_WARMUP sets the warm-up of the determinations endpoint in seconds (default 60).
# MEDPOLICY_BENCH_JAVA_OPTS adds JVM options (a JFR recording, say); MEDPOLICY_BENCH_ONLY=determinations skips order-sign.
# Starts `medpolicy serve` on a fresh database in a temporary folder, warms it up, runs wrk against
# POST /v1/determinations, GET /health (the ratio of the two is issue #12's yardstick) and the CRD
# order-sign service, prints the results and the server's CPU per request by thread (from /proc), stops the
# server and, for the embedded store, prints the file's size against the data it holds (bench StoreSize).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-30}"
connections="${2:-16}"
port="${MEDPOLICY_BENCH_PORT:-18181}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -f "$here/app/target/medpolicy.jar" ] && [ -f "$here/bench/target/benchmarks.jar" ] || (cd "$here" && mvn -q -B package -DskipTests)

work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
db="${MEDPOLICY_BENCH_DB:-jdbc:h2:file:$work/db}"
medpolicy() { java -jar "$here/app/target/medpolicy.jar" "$@"; }
store=(--db "$db" --signing-key-file "$work/signing.jwk")
java -Xms512m -Xmx512m -XX:+UseParallelGC ${MEDPOLICY_BENCH_JAVA_OPTS:-} -jar "$here/app/target/medpolicy.jar" serve --port "$port" --quiet "${store[@]}" \
  --public-url "http://localhost:$port" --member-key-file "$work/member.key" --policies "$here/policies" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 120); do curl -sf "http://localhost:$port/health" >/dev/null && break; sleep 0.5; done

# Authentication is on, as in production: a backend client with a token (verified once, then cached)
# and an EHR whose every hook call carries a fresh single-use JWT (signed beforehand, so the load
# generator does not sign under load). Rate limits are set out of the way: this measures throughput.
# MEDPOLICY_BENCH_KEY=rsa makes the clients sign RS384 (cheaper to verify than ES384, the default).
medpolicy clients keygen ${MEDPOLICY_BENCH_KEY:+--rsa} --out "$work/bench.jwk" > "$work/bench-public.json"
medpolicy clients add --id bench --jwks-file "$work/bench-public.json" --scopes "system/determinations.write system/metrics.read" \
  --rate 1000000 --burst 1000000 "${store[@]}" >/dev/null
medpolicy clients add --id bench-ehr --cds-hooks-issuer bench-ehr --jwks-file "$work/bench-public.json" \
  --rate 1000000 --burst 1000000 "${store[@]}" >/dev/null
export TOKEN="$(medpolicy token --client bench --lifetime PT1H --public-url "http://localhost:$port" "${store[@]}")"
# Separate files for the warm-up and the measured run: a jti is accepted once, and each wrk run starts at line 1.
medpolicy assertion --client bench-ehr --key-file "$work/bench.jwk" --count 15000 \
  --aud "http://localhost:$port/cds-services/medpolicy-order-sign" > "$work/warm-up-jwts.txt"
[ "${MEDPOLICY_BENCH_ONLY:-}" = determinations ] || medpolicy assertion --client bench-ehr --key-file "$work/bench.jwk" --count $(( duration * 3000 )) \
  --aud "http://localhost:$port/cds-services/medpolicy-order-sign" > "$work/hook-jwts.txt"

# Where the server's CPU goes: each thread's user + system time from /proc before and after a measured
# run, summed by thread name (numbers dropped: the request threads are one line) and divided by the
# requests wrk completed. Per-thread accounting is steadier than a sampling profiler on a shared
# machine, and it shows what a profile cannot: how much a write costs in the store's own threads
# (the log writer, the audit writer, housekeeping) as against the request threads. The machine's
# steal time in the same window says how much the host took away (a noisy neighbour).
cpu_snapshot() {
  local task name stat
  { for task in /proc/"$server"/task/*; do
      { read -r name < "$task/comm"; } 2>/dev/null || continue   # a thread may end between the listing and the read
      stat="$(cat "$task/stat" 2>/dev/null)" || continue
      # Fields after the parenthesized name: state is the 1st, user time the 12th, system time the 13th.
      set -- ${stat##*) }
      echo "${task##*/} ${name// /_} $(( ${12} + ${13} ))"
    done
    head -1 /proc/stat; } > "$1"
}
cpu_report() {   # BEFORE AFTER WRK_OUTPUT WHAT
  awk -v hz="$(getconf CLK_TCK)" -v what="$4" -v requests="$(awk '/ requests in / { print $1 }' "$3")" '
    FNR == 1 { file++ }
    $1 == "cpu" { for (i = 2; i <= NF; i++) { m[file, i] = $i; if (file == 2) span += $i - m[1, i] } next }
    file == 1 { before[$1] = $3; next }
    { name = $2; gsub(/[0-9#]+$/, "", name); gsub(/-+$/, "", name); used[name] += $3 - before[$1]; total += $3 - before[$1] }
    END {
      if (requests == 0) exit
      steal = span > 0 ? 100 * (m[2, 9] - m[1, 9]) / span : 0
      idle = span > 0 ? 100 * (m[2, 5] - m[1, 5]) / span : 0
      printf "server CPU per %s: %.0f us (machine idle %.0f%%, steal %.0f%%)\n", what, 1e6 * total / hz / requests, idle, steal
      fflush()
      for (k in used) if (1e6 * used[k] / hz / requests >= 0.5) printf "  %-20s %7.1f us\n", k, 1e6 * used[k] / hz / requests | "sort -k2 -rn | head -8"
    }' "$1" "$2"
}
# Runs a measured command (wrk) between two snapshots, keeps its output in $work/NAME.txt and reports
# the server's CPU per WHAT. Usage: measured NAME WHAT COMMAND...
measured() {
  local run="$1" what="$2"; shift 2
  cpu_snapshot "$work/$run.cpu-before"
  "$@" | tee "$work/$run.txt"
  cpu_snapshot "$work/$run.cpu-after"
  cpu_report "$work/$run.cpu-before" "$work/$run.cpu-after" "$work/$run.txt" "$what"
}

# Warm-up: order-sign first, then the determinations endpoint, right before it is measured. The other
# order deoptimized the determination path's shared code (Jackson, Jetty) when order-sign's types reached
# it, and the measured run paid for the recompilation. On two cores the JIT needs a minute or more.
warm_up="${MEDPOLICY_BENCH_WARMUP:-60}"
echo "== warm-up (order-sign 5 s, determinations ${warm_up} s)"
HOOK_JWTS="$work/warm-up-jwts.txt" ORDER_SIGN_JSON="$here/examples/cds/order-sign.json" \
  wrk -t1 -c"$connections" -d5s -s "$here/bench/load/order-sign.lua" "http://localhost:$port" >/dev/null
wrk -t1 -c"$connections" -d"${warm_up}s" -s "$here/bench/load/determinations.lua" "http://localhost:$port" >/dev/null

echo "== POST /v1/determinations: ${duration}s, ${connections} connections, 1 wrk thread"
measured determinations determination wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$here/bench/load/determinations.lua" "http://localhost:$port"
# Issue #12's yardstick: the same server's cheapest call, right after, with the same connections.
echo "== GET /health: ${duration}s, ${connections} connections, 1 wrk thread"
measured health "health check" wrk -t1 -c"$connections" -d"${duration}s" --latency "http://localhost:$port/health"
rate() { awk '/^Requests\/sec/ { print $2 }' "$1"; }
echo "== determinations / health: $(awk -v d="$(rate "$work/determinations.txt")" -v h="$(rate "$work/health.txt")" 'BEGIN { printf "%.2f", d / h }')"
store_size() {
  case "$db" in
    jdbc:h2:file:*)
      kill "$server"; wait "$server" 2>/dev/null || true
      echo "== the embedded file against its data (server stopped)"
      java -cp "$here/bench/target/benchmarks.jar" org.medpolicy.bench.StoreSize "$db" ;;
  esac
}
[ "${MEDPOLICY_BENCH_ONLY:-}" = determinations ] && { store_size; exit 0; }
echo "== POST /cds-services/medpolicy-order-sign: ${duration}s, ${connections} connections, 1 wrk thread"
HOOK_JWTS="$work/hook-jwts.txt" ORDER_SIGN_JSON="$here/examples/cds/order-sign.json" \
  measured order-sign "order-sign call" wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$here/bench/load/order-sign.lua" "http://localhost:$port"
echo "== rows in the decision log"
curl -s "http://localhost:$port/metrics" -H "Authorization: Bearer $TOKEN" | grep -E '^medpolicy_determinations_total' || true
store_size
