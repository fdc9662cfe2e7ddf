#!/usr/bin/env bash
# Records per second of the same Flink job with the model step and with an identity map in its place
# (flink-operators' JobThroughputHarness on a local MiniCluster). Optional argument: a frame model .wnm.
# With --hot-swap: how long an alias move takes to reach every subtask (HotSwapLatencyHarness).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl flink-operators -am test-compile -DskipTests
cp_file=$(mktemp)
mvn -B -q -ntp -pl flink-operators dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
CP="flink-operators/target/test-classes:flink-operators/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
main=dev.winnow.flink.bench.JobThroughputHarness
if [ "${1:-}" = "--hot-swap" ]; then main=dev.winnow.flink.bench.HotSwapLatencyHarness; shift; fi
exec java -Xmx2g --add-modules jdk.incubator.vector -Dlog4j2.level=WARN -cp "$CP" "$main" "$@"
