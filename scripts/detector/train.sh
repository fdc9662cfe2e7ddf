#!/usr/bin/env bash
# Reproduces the shipped person detector from the Debian packages opencv-doc, ffmpeg and python3-opencv:
# decode the clips, label every frame with the HOG teacher, clean the labels, train the RNNPool student on
# both cores, export float and int8 artifacts. About 25 minutes on 2 cores (teacher ~8 + ~5 for the far pass,
# training ~10).
set -euo pipefail
cd "$(dirname "$0")/../.."
EPOCHS=${EPOCHS:-20}
scripts/detector/prepare-data.sh
[ -f data/detector/teacher.csv ] || scripts/detector/label-teacher.py --clips vtest,tree
[ -f data/detector/teacher-neg.csv ] || scripts/detector/label-teacher.py --clips neg --workers 1 --out data/detector/teacher-neg.csv
# second HOG pass for the small far people: the top 45% of the training frames at 2.8x (~5 min on 2 cores)
[ -f data/detector/teacher-far.csv ] || scripts/detector/label-teacher.py --clips vtest --range 0-635 --top 0.45 --upscale 2.8 --out data/detector/teacher-far.csv
/usr/bin/python3 scripts/detector/clean-labels.py
mvn -q -B -o -pl model-tools -am package -DskipTests
java -cp model-tools/target/winnow.jar dev.winnow.tools.detect.DetectorTrainer --data data/detector --epochs "$EPOCHS" --threads 2 --oversample 2 --zoom 0.2 \
  --out model-tools/detector/person-detector-int8.wnm --float-out model-tools/detector/person-detector-float.wnm "$@"
