#!/usr/bin/env bash
# The same CI as docs/ci/deliverycheck.yml, for any CI system or a shell: keep it at docs/ci/ci.sh
# of the repository that holds the deliverycheck launcher (it runs from two directories up) and
# call it from your pipeline.
#
#   docs/ci/ci.sh push      # each push: verify --quick; JUnit XML in target/verify.xml, report in target/report
#   docs/ci/ci.sh nightly   # nightly depth: every mode explored in SHARDS parallel shards of seed ranges, merged
#
# Environment (nightly): RUNS schedules per mode (20000), SEED first seed (1), SHARDS (4),
# MODES (all four). Exit 0 iff every verdict matches the expected outcome matrix. The shards run
# as local background jobs here; on a CI with a job matrix give each (mode, shard) its own job,
# run the explore line there, and bring shards/ and replays/ back for the merge.
set -euo pipefail
cd "$(dirname "$0")/../.."

case "${1:-}" in
  push)
    ./deliverycheck verify --quick --report target/report --junit-xml target/verify.xml
    ;;
  nightly)
    runs="${RUNS:-20000}"
    seed="${SEED:-1}"
    shards="${SHARDS:-4}"
    modes="${MODES:-at-most-once at-least-once idempotent exactly-once}"
    mkdir -p shards target/nightly
    # Build the launcher's jar once, before the shards start in parallel.
    ./deliverycheck --version > /dev/null
    pids=()
    for mode in $modes; do
      for k in $(seq 1 "$shards"); do
        ./deliverycheck explore --mode "$mode" --runs "$runs" --seed "$seed" --shard "$k/$shards" --json \
          --out replays > "shards/$mode-$k.json" 2> "shards/$mode-$k.log" &
        pids+=("$!")
      done
    done
    status=0
    for pid in "${pids[@]}"; do
      wait "$pid" || status=1
    done
    for mode in $modes; do
      ./deliverycheck merge shards/"$mode"-*.json --report "target/nightly/$mode" \
        --junit-xml "target/nightly/$mode.xml" || status=1
    done
    exit $status
    ;;
  *)
    echo "usage: $0 push|nightly" >&2
    exit 2
    ;;
esac
