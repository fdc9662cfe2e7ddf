#!/usr/bin/env bash
# Retrains the sensor-events sample model (job-examples/src/main/resources/models/beaver-activity.wnm)
# from job-examples/samples/sensors/beavers.csv, printing leave-one-beaver-out accuracy first.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/test-classpath.sh
exec_test_main job-examples dev.winnow.examples.samples.TrainSensorModel "$@"
