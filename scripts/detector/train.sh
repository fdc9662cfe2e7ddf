#!/usr/bin/env bash
# Reproduces the shipped person detector from real footage in Debian packages, labelled by the CenterNet
# teacher (no Python): scripts/data/fetch-footage.sh decodes every source of model-tools/detector/training-sources.csv,
# `winnow teacher label` labels each clip's native frames, and the RNNPool student trains on vtest 0-589 and the
# other training clips (hard negatives where the teacher sees nobody; copy-paste of vtest people onto the plate and
# onto other cameras' empty frames), validates its thresholds on vtest 590-635, and exports float and int8 artifacts.
# The held-out videos (role holdout) and vtest 636-794 are never read here: `winnow detector evaluate` reports them.
set -euo pipefail
cd "$(dirname "$0")/../.."
EPOCHS=${EPOCHS:-20}
scripts/data/fetch-footage.sh
mvn -q -B -o -pl model-tools -am package -DskipTests
WINNOW="java --add-modules jdk.incubator.vector -jar model-tools/target/winnow.jar"
for dir in data/detector/*/; do
  clip=$(basename "$dir")
  [ -f "$dir/teacher.csv" ] || { $WINNOW teacher label --frames "$dir/native" --boxes --out "$dir/teacher.csv.part" && mv "$dir/teacher.csv.part" "$dir/teacher.csv"; }
done
CLIPS=$(awk -F, 'NR > 1 && $7 == "train" && $2 != "vtest" && $2 != "tree" { printf "%s%s", sep, $2; sep = "," }' model-tools/detector/training-sources.csv)
$WINNOW detector train --data data/detector --labels teacher \
  --clips "$CLIPS" --epochs "$EPOCHS" --threads "${THREADS:-1}" --oversample 2 --anchors 2x2 --paste 0.5 --synthetic 300 --ema 0.998 --nms both \
  --select-on int8 --score-floor -8 --params-out data/detector/student.params \
  --out model-tools/detector/person-detector-int8.wnm --float-out model-tools/detector/person-detector-float.wnm "$@"
$WINNOW detector evaluate
