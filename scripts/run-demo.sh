#!/usr/bin/env bash
# Builds the runtime and runs the demo on the bundled model and sample data.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests install
exec mvn -B -q -ntp -pl model-runtime exec:java -Dexec.mainClass=dev.winnow.runtime.demo.RuntimeDemo
