#!/usr/bin/env bash
# The impact of a policy-data change on a demo decision log, as README shows it.
# Usage: bench/impact-demo.sh [BEFORE_COMMIT, default 20013e8: the policy data before the 52-product update]
# Serves the policy data of BEFORE_COMMIT on a fresh embedded database in a temporary folder, sends it
# the public examples and requests for every FDA-approved product of facts.md (by brand beside a
# gene-therapy term, by brand in free text, and by HCPCS code where it has one of its own), stops it, then runs `medpolicy policy impact` with this checkout's
# policies/ as the candidate against that decision log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
before="${1:-20013e8}"
port="${MEDPOLICY_BENCH_PORT:-18182}"
[ -f "$here/app/target/medpolicy.jar" ] || (cd "$here" && mvn -q -B package -DskipTests -pl app -am)
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
(cd "$here" && git archive "$before" policies) | tar -x -C "$work"
medpolicy() { java -jar "$here/app/target/medpolicy.jar" "$@"; }
store=(--db "jdbc:h2:file:$work/db" --signing-key-file "$work/signing.jwk")
java -jar "$here/app/target/medpolicy.jar" serve --port "$port" --quiet "${store[@]}" --public-url "http://localhost:$port" \
  --member-key-file "$work/member.key" --policies "$work/policies" --zone UTC 2>"$work/server.log" &
server=$!
for _ in $(seq 1 120); do curl -sf "http://localhost:$port/health" >/dev/null && break; sleep 0.5; done
token=$(medpolicy token --client demo "${store[@]}" --public-url "http://localhost:$port")
post() { curl -sf -o /dev/null -X POST "http://localhost:$port/v1/determinations" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d "$1"; }
for example in "$here"/examples/*.json; do post @"$example" || true; done
n=0
while IFS='|' read -r brand generic hcpcs governed; do
  case "$brand" in \#*|"") continue ;; esac
  n=$((n + 1))
  body() { printf '{"requestId":"DEMO-%s-%s","kind":"PRE_SERVICE","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-15","receivedAt":"2026-12-01T15:00:00Z","requester":{"role":"TREATING_PROVIDER"},"member":{"id":"M%s"},"items":[%s]}' "$1" "$n" "$n" "$2"; }
  post "$(body BRAND "{\"product\":\"$brand\",\"therapy\":\"GENE_THERAPY\"}")"
  post "$(body TEXT "{\"description\":\"$brand gene therapy, single infusion\"}")"
  [ "$hcpcs" = "-" ] || post "$(body HCPCS "{\"code\":{\"system\":\"HCPCS\",\"value\":\"$hcpcs\"}}")"
done < "$here/core/src/test/resources/facts-products.csv"
kill "$server"; wait "$server" 2>/dev/null || true
medpolicy policy impact --policies "$work/policies" --candidate "$here/policies" --db "jdbc:h2:file:$work/db" --zone UTC || true
