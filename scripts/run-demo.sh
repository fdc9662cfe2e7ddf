#!/usr/bin/env bash
# Builds the runtime and runs the demo: writes an int8 CNN artifact, loads it, prints its memory
# plan and runs predictions. (The job examples take this command over once they land.)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl model-runtime -DskipTests package
exec java --add-modules jdk.incubator.vector -cp model-runtime/target/classes dev.winnow.runtime.demo.RuntimeDemo "$@"
