#!/usr/bin/env bash
# The edge cascade (difference detector + student + teacher band) beside the teacher on every frame and
# the teacher on 1 and 2 frames/s with a tracker, on the held-out videos and two training clips
# (dev.winnow.examples.cascade.CascadeEval; docs/cascade.md). Needs the footage and the teacher
# (scripts/detector/prepare-data.sh). Extra arguments go to the harness, e.g.
#   scripts/detector/cascade-eval.sh --student model-tools/detector/person-detector-int8.wnm --band 0.25:0.6 --difference 0.01
# Tables go to stdout and, as CSV and markdown, to reports/cascade-eval/ (or --out). Arguments given here
# override the defaults below (--threads 4, --out); --clip adds clips.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/test-classpath.sh
module_test_classpath job-examples
# frame rates from ffprobe of each source (model-tools/detector/training-sources.csv): dog 29.97 (41 frames),
# night-city 25, diver 25, webcam 15, screencast 30, vtest 10, lab-g2 25; training clips: ball 25 (a person in part), tree 15
CLIPS=(--clip dog@29.97 --clip night-city@25 --clip diver@25 --clip webcam@15 --clip screencast@30
       --clip vtest:636-794@10 --clip lab-g2@25 --clip ball@25 --clip tree@15)
exec java -Xmx8g --add-modules jdk.incubator.vector -Dlog4j2.level=WARN -cp "$CP" dev.winnow.examples.cascade.CascadeEval \
  "${CLIPS[@]}" --threads 4 --out reports/cascade-eval "$@"
