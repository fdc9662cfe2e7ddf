#!/usr/bin/env bash
# Retrains the sensor-events sample model (job-examples/src/main/resources/models/beaver-activity.wnm)
# from job-examples/samples/sensors/beavers.csv, printing leave-one-beaver-out accuracy first.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/test-classpath.sh
module_test_classpath job-examples
exec java --add-modules jdk.incubator.vector -cp "$CP" dev.winnow.examples.samples.TrainSensorModel "$@"
