#!/usr/bin/env bash
# Reproduces the shipped Letter-26 model, model-tools/models/letter26-int8.wnm:
# ProtoNN (16-dim projection, 400 prototypes) trained 80 epochs from seed 1, then post-training
# int8 with clipping and the input range calibrated on 2,000 training rows (quantization-aware
# fine-tuning would follow if that lost more than 1 point; on this model it loses none), then
# Huffman coding of the payloads. The artifact's graph quantizes the input and runs the int8
# ProtoNN kernel (int32 projection and distances), so its arithmetic is integer, not just its storage.
# Needs the UCI Letter file from Debian's opencv-doc (/work/main/scripts/install-deps.sh installs it).
# Training is deterministic from the seed (fixed batch chunks, StrictMath), so the artifact repeats.
set -euo pipefail
cd "$(dirname "$0")/../.."
MVN_FLAGS=${MVN_FLAGS:--q -o}
WORK=${WORK:-model-tools/target/letter26}
OUT=${OUT:-model-tools/models/letter26-int8.wnm}
mvn $MVN_FLAGS -pl model-tools -am package -DskipTests
winnow() { java -jar model-tools/target/winnow.jar "$@"; }
mkdir -p "$WORK" "$(dirname "$OUT")"
time winnow train protonn --data letter --seed 1 --epochs 80 --batch 64 --lr 0.01 \
  --projection 16 --prototypes 400 --gamma-scale 1.0 --name letter26 --out "$WORK/letter26-float.wnm"
winnow compress "$WORK/letter26-float.wnm" --data letter --int8 --calibration-rows 2000 --huffman --seed 1 -o "$OUT"
winnow eval --data letter "$OUT"
winnow inspect "$OUT"
