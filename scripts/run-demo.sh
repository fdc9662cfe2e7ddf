#!/usr/bin/env bash
# Runs the main example, security-retention, on an embedded Flink MiniCluster with the bundled person
# detector and sample frames, and prints the storage saved (report: reports/security-retention/).
# Other jobs: scripts/run-demo.sh stadium-staffing | sensor-events [options]; --help lists options.
set -euo pipefail
cd "$(dirname "$0")/.."
# A self-contained jar (Flink inside, compile scope) so plain `java -jar` can start a local MiniCluster.
# It is kept apart from job-examples' own -all jar, which `mvn verify` rebuilds without Flink, and is
# rebuilt only when a source, pom or bundled model is newer than it.
DEMO=job-examples/target/demo/winnow-demo.jar
if [ ! -f "$DEMO" ] || [ -n "$(find pom.xml ./*/pom.xml ./*/src model-tools/detector -newer "$DEMO" -type f -print -quit 2>/dev/null)" ]; then
  echo "building $DEMO (Flink inside) ..." >&2
  mvn -B -q -ntp -pl job-examples -am package -DskipTests -Dflink.scope=compile
  mkdir -p "$(dirname "$DEMO")"
  cp job-examples/target/job-examples-0.1.0-SNAPSHOT-all.jar "$DEMO"
fi
job=security-retention
case "${1:-}" in security-retention|stadium-staffing|sensor-events) job=$1; shift ;; esac
exec java --add-modules jdk.incubator.vector -jar "$DEMO" "$job" "$@"
