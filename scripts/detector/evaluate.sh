#!/usr/bin/env bash
# Prints teacher vs student (float, int8) on the hand-counted held-out frames and frames without people:
# presence precision/recall, count MAE, size, peak RAM, frames/s; writes reports/detector.html.
# Needs the decoded frames and teacher outputs (scripts/detector/prepare-data.sh, label-teacher.py; train.sh runs both).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/detector/prepare-data.sh >/dev/null
if [ ! -f data/detector/teacher-holdout-timing.txt ]; then  # time the teacher alone on one thread, on held-out frames
  scripts/detector/label-teacher.py --clips vtest --range 636-675 --workers 1 --out data/detector/teacher-holdout.csv
fi
[ -f model-tools/target/winnow.jar ] || mvn -q -B -o -pl model-tools -am package -DskipTests
java -cp model-tools/target/winnow.jar dev.winnow.tools.detect.DetectorEval --data data/detector "$@"
