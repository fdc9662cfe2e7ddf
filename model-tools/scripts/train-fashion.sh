#!/usr/bin/env bash
# Reproduces the shipped Fashion-MNIST models, model-tools/models/fashion-rnnpool-int8.wnm and
# model-tools/models/fashion-plain-int8.wnm (the same network with the RNNPool layer replaced by a
# strided 3x3 convolution), and prints their evaluation table (see model-tools/models/FASHION.md).
# Needs Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist). Training is deterministic
# from the seed for a given --threads (workers' gradients are summed in a fixed order).
# Each run takes 15-40 minutes on 2 shared cores; PARALLEL=1 runs both at once.
set -euo pipefail
cd "$(dirname "$0")/../.."
MVN_FLAGS=${MVN_FLAGS:--q -o}
WORK=${WORK:-model-tools/target/fashion}
MODELS=${MODELS:-model-tools/models}
EPOCHS=${EPOCHS:-8}
THREADS=${THREADS:-2}
EXTRA=${EXTRA:-}   # more trainer flags, e.g. a smoke test: EPOCHS=1 EXTRA="--limit 640" WORK=/tmp/f MODELS=/tmp/f/models
mvn $MVN_FLAGS -pl model-tools -am package -DskipTests
mkdir -p "$WORK" "$MODELS"
cp model-tools/target/winnow.jar "$WORK/winnow.jar"   # a rebuild during training must not change the classes under it
train() { java -cp "$WORK/winnow.jar" dev.winnow.tools.cnn.FashionTrainer --epochs "$EPOCHS" --batch 64 --lr 0.003 --seed 1 \
  --threads "$THREADS" --calibration 1000 --work "$WORK" --out "$WORK" $EXTRA "$@"; }
if [ "${PARALLEL:-0}" = 1 ]; then
  train --name fashion-rnnpool --spec c16k3s2-r4s2h8-mb2 > "$WORK/fashion-rnnpool.log" 2>&1 &
  train --name fashion-plain --spec c16k3s2-c32k3s2-mb2 > "$WORK/fashion-plain.log" 2>&1 &
  wait
  cat "$WORK/fashion-rnnpool.log" "$WORK/fashion-plain.log"
else
  train --name fashion-rnnpool --spec c16k3s2-r4s2h8-mb2 | tee "$WORK/fashion-rnnpool.log"
  train --name fashion-plain --spec c16k3s2-c32k3s2-mb2 | tee "$WORK/fashion-plain.log"
fi
cp "$WORK/fashion-rnnpool-int8.wnm" "$WORK/fashion-plain-int8.wnm" "$MODELS/"
java -cp "$WORK/winnow.jar" dev.winnow.tools.cnn.FashionEval "$WORK/fashion-rnnpool-float.wnm" "$MODELS/fashion-rnnpool-int8.wnm" \
  "$WORK/fashion-plain-float.wnm" "$MODELS/fashion-plain-int8.wnm"
