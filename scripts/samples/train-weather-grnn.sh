#!/usr/bin/env bash
# Trains a FastGRNN on the NOAA Seattle daily weather series (scripts/data/fetch-sensor-series.sh brings it)
# on 2012-2014 and reports 2015, which it never saw, as a 14-day window and as the streaming operator
# runs it (state carried from the first day). Writes data/sensors/seattle-weather-grnn.wnm (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f data/sensors/seattle-weather.csv ] || scripts/data/fetch-sensor-series.sh
. scripts/lib/test-classpath.sh
exec_test_main job-examples dev.winnow.examples.samples.TrainWeatherGrnn "$@"
