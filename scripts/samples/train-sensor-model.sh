#!/usr/bin/env bash
# Retrains the sensor-events sample model (job-examples/src/main/resources/models/beaver-activity.wnm)
# from job-examples/samples/sensors/beavers.csv, printing leave-one-beaver-out accuracy first.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -ntp -pl job-examples -am test-compile -DskipTests
cp_file=$(mktemp)
mvn -B -q -ntp -pl job-examples dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
CP="job-examples/target/test-classes:job-examples/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec java --add-modules jdk.incubator.vector -cp "$CP" dev.winnow.examples.samples.TrainSensorModel "$@"
