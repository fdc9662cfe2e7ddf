#!/usr/bin/env bash
# Learns the unsupervised weather-station anomaly model (k-means prototypes as a ProtoNN artifact) on the
# NOAA Seattle daily record of 2012-2013 without labels, picks its threshold on the clean 2014 windows, and
# prints precision and recall per injected fault type (spike, stuck-at, drift) on 2015, which neither saw.
# Writes data/sensors/weather-anomaly.wnm (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f data/sensors/seattle-weather.csv ] || scripts/data/fetch-sensor-series.sh
. scripts/lib/test-classpath.sh
exec_test_main job-examples dev.winnow.examples.samples.WeatherAnomaly "$@"
