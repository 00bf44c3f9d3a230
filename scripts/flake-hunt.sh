#!/usr/bin/env bash
# Flake hunt: compiles once, then runs the whole test suite N times (default 10) while burner
# processes keep every core busy, and prints one line per run plus every failing test.
# A test that fails even once here is a bug (it waits for time, or races). Usage:
#   scripts/flake-hunt.sh [N] [BURNERS]     (BURNERS defaults to the number of cores)
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
burners=${2:-$(nproc)}
mvn -B -q test-compile >/dev/null || { echo "flake-hunt: test-compile failed" >&2; exit 3; }
pids=()
for _ in $(seq 1 "$burners"); do (while :; do :; done) & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
mkdir -p target/flake-hunt
failed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  mvn -B surefire:test >"target/flake-hunt/run-$i.log" 2>&1
  rc=$?
  echo "run $i: exit $rc, $(( $(date +%s) - start )) s, $(grep -E 'Tests run: [0-9]+, Fail' "target/flake-hunt/run-$i.log" | tail -1 | sed 's/\[[A-Z]*\] //')"
  grep -E '<<< (FAILURE|ERROR)' "target/flake-hunt/run-$i.log" | sed 's/^/    /'
  [ "$rc" -eq 0 ] || failed=$((failed + 1))
done
echo "flake-hunt: $failed of $runs runs failed (logs in target/flake-hunt/)"
[ "$failed" -eq 0 ]
