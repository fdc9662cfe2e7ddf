#!/usr/bin/env bash
# Records per second of the same Flink job with the model step and with an identity map in its place
# (flink-operators' JobThroughputHarness on a local MiniCluster). Optional argument: a frame model .wnm.
# --sensor-only skips the frame jobs, --runs N sets the paired runs (the first is warm-up), --parallelism P
# the operators' parallelism (default 2).
# With --hot-swap: how long an alias move takes to reach every subtask (HotSwapLatencyHarness).
# With --fastgrnn [--runs N] [--sensors S] [--hidden H]: readings/s through StreamingFastGrnn against an
# identity map after the keyBy (StreamingFastGrnnThroughputHarness).
# With --tracker [rounds]: per-frame cost of the person tracker against the bundled detector on vtest (TrackerCostHarness).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/test-classpath.sh
module_test_classpath flink-operators
main=dev.winnow.flink.bench.JobThroughputHarness
if [ "${1:-}" = "--hot-swap" ]; then main=dev.winnow.flink.bench.HotSwapLatencyHarness; shift; fi
if [ "${1:-}" = "--fastgrnn" ]; then main=dev.winnow.flink.bench.StreamingFastGrnnThroughputHarness; shift; fi
if [ "${1:-}" = "--tracker" ]; then main=dev.winnow.flink.bench.TrackerCostHarness; shift; fi
exec java -Xmx2g --add-modules jdk.incubator.vector -Dlog4j2.level=WARN -cp "$CP" "$main" "$@"
