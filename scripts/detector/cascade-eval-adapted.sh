#!/usr/bin/env bash
# The cascade after adapt: each held-out camera with its own adapted student (scripts/detector/adapt-heldout.sh
# writes them to reports/detector-adapt/<clip>.wnm), on the part of each clip that adapt did not fine-tune on
# (the same splits as adapt-heldout.sh), beside the teacher on every frame and Seiden's sampled baseline
# (docs/cascade.md, "After adapt"). Extra arguments go to the harness (e.g. --sweep 0.45:0.55,0.4:0.6).
set -euo pipefail
cd "$(dirname "$0")/../.."
A=${ADAPTED:-reports/detector-adapt}
for c in dog night-city diver webcam screencast vtest; do
  [ -f "$A/$c.wnm" ] || { echo "no $A/$c.wnm: run scripts/detector/adapt-heldout.sh first"; exit 1; }
done
. scripts/lib/test-classpath.sh
module_test_classpath job-examples
# first frame after each fine-tuning part (adapt-heldout.sh's splits), to the clip's end; source frame rates
exec java -Xmx6g --add-modules jdk.incubator.vector -Dlog4j2.level=WARN -cp "$CP" dev.winnow.examples.cascade.CascadeEval \
  --clip dog:21-40@29.97 --clip night-city:95-189@25 --clip diver:176-350@25 --clip webcam:35-67@15 \
  --clip screencast:125-248@30 --clip vtest:636-794@10 \
  --clip-student dog=$A/dog.wnm --clip-student night-city=$A/night-city.wnm --clip-student diver=$A/diver.wnm \
  --clip-student webcam=$A/webcam.wnm --clip-student screencast=$A/screencast.wnm --clip-student vtest=$A/vtest.wnm \
  --threads 2 --out reports/cascade-adapted "$@"
