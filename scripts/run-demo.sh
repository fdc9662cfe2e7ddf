#!/usr/bin/env bash
# Runs the main example, security-retention, on an embedded Flink MiniCluster with the bundled person
# detector and sample frames, and prints the storage saved (report: reports/security-retention/).
# Other jobs: scripts/run-demo.sh stadium-staffing | sensor-events [options]; --help lists options.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=job-examples/target/job-examples-0.1.0-SNAPSHOT-all.jar
# Flink inside the jar (compile scope) so plain `java -jar` can start a local MiniCluster
mvn -B -q -ntp -pl job-examples -am package -DskipTests -Dflink.scope=compile
job=security-retention
case "${1:-}" in security-retention|stadium-staffing|sensor-events) job=$1; shift ;; esac
exec java --add-modules jdk.incubator.vector -jar "$JAR" "$job" "$@"
