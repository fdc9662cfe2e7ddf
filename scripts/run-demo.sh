#!/usr/bin/env bash
# Runs the main example, security-retention, on an embedded Flink MiniCluster with the bundled person
# detector and sample frames, and prints the storage saved (report: reports/security-retention/).
# Other jobs: scripts/run-demo.sh stadium-staffing | sensor-events [options]; --help lists options.
#
# The jobs run from a self-contained jar (Flink inside, so plain `java -jar` starts a MiniCluster):
# job-examples/target/demo/winnow-examples.jar. `mvn verify` builds the cluster jar (Flink provided)
# and never writes there; this script rebuilds the demo jar only when it is missing or older than
# a source, pom or bundled model it is made of. WINNOW_DEMO_REBUILD=1 forces a rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO_JAR=job-examples/target/demo/winnow-examples.jar
MODULES=(model-runtime model-registry flink-operators connectors job-examples)

stale() {
  [ -f "$DEMO_JAR" ] || return 0
  [ "${WINNOW_DEMO_REBUILD:-0}" = 1 ] && return 0
  local inputs=(pom.xml model-tools/detector/person-detector-int8.wnm)
  for m in "${MODULES[@]}"; do inputs+=("$m/pom.xml" "$m/src/main"); done
  [ -n "$(find "${inputs[@]}" -newer "$DEMO_JAR" -print -quit 2>/dev/null)" ]
}

if stale; then
  echo "run-demo: building $DEMO_JAR (Flink inside; once, and again after sources change)" >&2
  mvn -B -q -ntp -pl job-examples -am package -DskipTests -Dflink.scope=compile >&2
  mkdir -p "$(dirname "$DEMO_JAR")"
  cp job-examples/target/job-examples-0.1.0-SNAPSHOT-all.jar "$DEMO_JAR.part"
  mv "$DEMO_JAR.part" "$DEMO_JAR"
fi

job=security-retention
case "${1:-}" in security-retention|stadium-staffing|sensor-events) job=$1; shift ;; esac
exec java --add-modules jdk.incubator.vector -jar "$DEMO_JAR" "$job" "$@"
