#!/usr/bin/env bash
# Reproduces the shipped person detector (model-tools/detector/person-detector-{int8,float}.wnm) from real footage
# in Debian packages labelled by the CenterNet teacher, with no Python: scripts/detector/prepare-data.sh decodes
# every source of model-tools/detector/training-sources.csv and labels each clip with `winnow teacher label`, then
# `winnow detector train` trains the RNNPool student on the manifest's role-train clips (vtest 0-589, tree, and every
# other training clip: people where the teacher boxed them, hard negatives where it saw nobody; copy-paste of people
# onto the plate and, at any size, onto other cameras' people-free frames), chooses its thresholds on vtest 590-635
# and exports float and int8 artifacts. The held-out videos (role holdout) and vtest 636-794 are never read here:
# `winnow detector evaluate` (run last) reports them. The shipped artifacts were trained with THREADS=2 (the default);
# another thread count sums gradients in another order and gives other weights.
set -euo pipefail
cd "$(dirname "$0")/../.."
EPOCHS=${EPOCHS:-10}
mvn -q -B -o -pl model-tools -am package -DskipTests
scripts/detector/prepare-data.sh
WINNOW="java --add-modules jdk.incubator.vector -jar model-tools/target/winnow.jar"
$WINNOW detector train --labels teacher --epochs "$EPOCHS" --threads "${THREADS:-2}" --oversample 2 --anchors 2x2 \
  --paste 0.5 --synthetic 200 --pasted 600 --ema 0.998 --nms both --select-on int8 --score-floor -8 \
  --clip-weight album=8 --clip-weight photos=10 --clip-weight stills=3 --clip-weight phone=6 \
  --params-out data/detector/student.params --out model-tools/detector/person-detector-int8.wnm \
  --float-out model-tools/detector/person-detector-float.wnm "$@"
$WINNOW detector evaluate
