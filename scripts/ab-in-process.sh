#!/bin/bash
# A/B of two builds on the in-process pipeline (issue 19), interleaved so both see the same machine load.
# usage: scripts/ab-in-process.sh PAIRS A.jar B.jar [OUTDIR]   (from the project root)
# Per pair, each jar runs `bench throughput --json` (its linger.ms=5, batch.size=16384 rounds: records/s in the 3 s
# window) and then scripts/InProcessPipeline.java 2 2000000 (records/s, process CPU per record, GC per 2 M records);
# the order swaps every pair. Prints one line per figure with the load average; summarise with any tool.
set -euo pipefail
pairs=$1; a=$2; b=$3; out=${4:-target/ab-in-process}
mkdir -p "$out"
for i in $(seq 1 "$pairs"); do
  if (( i % 2 )); then order="A B"; else order="B A"; fi
  for w in $order; do
    if [ "$w" = A ]; then jar=$a; else jar=$b; fi
    l0=$(cut -d' ' -f1 /proc/loadavg)
    java -jar "$jar" bench throughput --json --out "$out/bench-$w" > "$out/throughput-$w-$i.json" 2>/dev/null
    l1=$(cut -d' ' -f1 /proc/loadavg)
    rounds=$(python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
c = [c for c in d['configs'] if c['lingerMs'] == 5 and c['batchSize'] == 16384][0]
print(' '.join(str(x) for x in c['recordsPerSecondByRound']))" "$out/throughput-$w-$i.json")
    echo "pair $i $w throughput-linger5-16KiB rounds: $rounds load $l0 $l1"
    java -XX:+UseParallelGC -cp "$jar" scripts/InProcessPipeline.java 2 2000000 2>&1 | sed "s/^/pair $i $w pipeline /"
  done
done
