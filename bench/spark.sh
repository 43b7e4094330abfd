#!/usr/bin/env bash
# The Spark job's throughput in local mode: generates synthetic claim lines, then runs the jar a
# cluster is given (spark/target/medpolicy-spark.jar) on Spark's own libraries, as spark-submit would,
# with master local[2], and reports lines per second (wall clock, JVM start included).
# Usage: bench/spark.sh [LINES, default 3000000]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lines="${1:-3000000}"
[ -f "$here/spark/target/medpolicy-spark.jar" ] && [ -f "$here/bench/target/benchmarks.jar" ] || (cd "$here" && mvn -q -B package -DskipTests)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$here" && mvn -q -B dependency:build-classpath -pl spark -Dmdep.outputFile="$work/classpath.txt" >/dev/null)
spark_classpath="$(tr ':' '\n' < "$work/classpath.txt" | grep -v medpolicy | paste -sd: -)"
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
java -cp "$here/bench/target/benchmarks.jar" org.medpolicy.bench.ClaimLineGenerator "$lines" "$work/claims.csv"
echo "== input: $lines lines, $(du -h "$work/claims.csv" | cut -f1)"
for run in 1 2; do
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  java $opens -Xmx2g -Dspark.master='local[2]' -Dspark.ui.enabled=false -cp "$here/spark/target/medpolicy-spark.jar:$spark_classpath" \
    org.medpolicy.spark.SparkScreening --input "$work/claims.csv" --format csv --output "$work/out" > "$work/job.log" 2>&1
  end=$(date +%s.%N)
  awk -v l="$lines" -v s="$start" -v e="$end" 'BEGIN { printf "== run %d: %.1f s wall, %.0f lines/s (Spark local[2], CSV in, Parquet out by outcome)\n", '"$run"', e - s, l / (e - s) }'
done
echo "== output: $(du -sh "$work/out" | cut -f1) of Parquet in $(ls -d "$work"/out/outcome=* | wc -l) outcome partitions"
