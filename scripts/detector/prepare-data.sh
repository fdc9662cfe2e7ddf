#!/usr/bin/env bash
# Builds the detector's data from model-tools/detector/training-sources.csv, idempotently:
#   1. scripts/data/fetch-footage.sh decodes every source to data/detector/<clip>/native/NNNN.png (the camera's own size);
#   2. `winnow teacher label --boxes` labels every frame of each clip with the CenterNet teacher, cached as
#      data/detector/<clip>/teacher.csv (file,count,score_max,boxes; the sources of one clip, e.g. vtest's train,
#      validation and held-out stretches, share it). A clip is labelled once; delete its teacher.csv to relabel.
# The student's tools convert the frames to its 320x240 grey input themselves, with the Flink frame operator's
# own code, and scale the teacher's boxes with the frame. Needs the teacher model (scripts/teacher/fetch-model.sh).
# MANIFEST=<csv> reads another manifest of the same columns (model-tools/detector/experiments/ has one).
set -euo pipefail
cd "$(dirname "$0")/../.."
export MANIFEST=${MANIFEST:-model-tools/detector/training-sources.csv}
scripts/data/fetch-footage.sh
[ -f model-tools/target/winnow.jar ] || mvn -q -B -o -pl model-tools -am package -DskipTests
WINNOW="java --add-modules jdk.incubator.vector -jar model-tools/target/winnow.jar"
for clip in $(awk -F, 'NR > 1 { print $2 }' "$MANIFEST" | sort -u); do
  dir=data/detector/$clip
  [ -f "$dir/teacher.csv" ] && continue
  echo "prepare-data: labelling $clip ($(ls "$dir/native" | wc -l) frames) with the teacher"
  $WINNOW teacher label --frames "$dir/native" --boxes --out "$dir/teacher.csv.part" || { echo "prepare-data: labelling $clip failed"; exit 1; }
  mv "$dir/teacher.csv.part" "$dir/teacher.csv"
done
printf '| clip | frames | teacher: frames with people |\n|---|---|---|\n'
for clip in $(awk -F, 'NR > 1 { print $2 }' "$MANIFEST" | sort -u); do
  f=data/detector/$clip/teacher.csv
  printf '| %s | %d | %d |\n' "$clip" "$(($(wc -l <"$f") - 1))" "$(awk -F, 'NR > 1 && $2 > 0' "$f" | wc -l)"
done
