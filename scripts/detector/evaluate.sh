#!/usr/bin/env bash
# The shipped student beside the CenterNet teacher on every held-out video of
# model-tools/detector/training-sources.csv (never read in training), and on vtest's 64 hand-counted frames:
# presence precision and recall against the teacher, frames kept, count MAE. Decodes the footage and labels it
# with the teacher first when that has not been done (scripts/data/fetch-footage.sh, winnow teacher label).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/data/fetch-footage.sh >/dev/null
[ -f model-tools/target/winnow.jar ] || mvn -q -B -o -pl model-tools -am package -DskipTests
WINNOW="java --add-modules jdk.incubator.vector -jar model-tools/target/winnow.jar"
for clip in $(awk -F, 'NR > 1 && $7 == "holdout" { print $2 }' model-tools/detector/training-sources.csv | sort -u); do
  dir=data/detector/$clip
  [ -f "$dir/teacher.csv" ] || { $WINNOW teacher label --frames "$dir/native" --boxes --out "$dir/teacher.csv.part" >/dev/null && mv "$dir/teacher.csv.part" "$dir/teacher.csv"; }
done
$WINNOW detector evaluate "$@"
