#!/usr/bin/env bash
# The shipped student beside the CenterNet teacher on every held-out video of
# model-tools/detector/training-sources.csv (never read in training), and on vtest's 64 hand-counted frames:
# presence precision and recall against the teacher, frames kept, count MAE. Decodes the footage and labels it
# with the teacher first when that has not been done (scripts/data/fetch-footage.sh, winnow teacher label).
#
# Without the teacher model (models/teacher/centernet.wnm or its TF.js files, fetched by
# scripts/teacher/fetch-model.sh) there are no teacher labels to compare with: the script says so and
# evaluates the student alone on the 64 hand-counted held-out vtest frames (security-retention's
# bundled plaza camera: person-frame recall and frames kept), which needs neither teacher.csv nor Python.
set -euo pipefail
cd "$(dirname "$0")/../.."
model=model-tools/detector/person-detector-int8.wnm
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = --model ] && model=${args[$((i + 1))]:-$model}; done

if [ ! -f models/teacher/centernet.wnm ] && [ ! -f models/teacher/centernet/centernet.json ]; then
  echo "evaluate.sh: no teacher model under models/teacher (scripts/teacher/fetch-model.sh fetches it), so no teacher.csv:"
  echo "evaluate.sh: skipping the comparison with the teacher; evaluating the student $model on the 64 hand-counted held-out vtest frames only"
  exec scripts/run-demo.sh security-retention --model "$model" --out reports/detector-evaluate
fi
scripts/detector/prepare-data.sh >/dev/null
WINNOW="java --add-modules jdk.incubator.vector -jar model-tools/target/winnow.jar"
$WINNOW detector evaluate "$@"
