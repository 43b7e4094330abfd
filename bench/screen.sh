#!/usr/bin/env bash
# Screening benchmark: generates synthetic claim lines (bench ClaimLineGenerator), then screens them
# end to end with `medpolicy screen` (read, check, decide, write), twice, and prints the summaries.
# Usage: bench/screen.sh [LINES, default 3000000]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lines="${1:-3000000}"
[ -f "$here/app/target/medpolicy.jar" ] && [ -f "$here/bench/target/benchmarks.jar" ] || (cd "$here" && mvn -q -B package -DskipTests)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java -cp "$here/bench/target/benchmarks.jar" org.medpolicy.bench.ClaimLineGenerator "$lines" "$work/claims.csv"
echo "== input: $lines lines, $(du -h "$work/claims.csv" | cut -f1)"
for run in 1 2; do
  echo "== run $run: medpolicy screen claims.csv --out results.csv (heap 512m, one worker per core)"
  java -Xmx512m -jar "$here/app/target/medpolicy.jar" screen "$work/claims.csv" --out "$work/results.csv" \
    --policies "$here/policies" 2>&1 | grep -v "^rejected lines" || true   # exit 4: some lines rejected (by design, ~1 in 5,000)
done
echo "== output: $(du -h "$work/results.csv" | cut -f1); rejects: $(wc -l < "$work/results.csv.rejects" 2>/dev/null || echo 0) lines"
