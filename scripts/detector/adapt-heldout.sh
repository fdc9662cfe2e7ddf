#!/usr/bin/env bash
# winnow detector adapt on every held-out video of model-tools/detector/training-sources.csv: the shipped
# student fine-tuned on each clip's first part (the teacher labels every frame of it) and checked against the
# teacher on the rest. vtest: fine-tuned on frames 0-635, checked on 636-794 (the stretch no training reads).
# The other clips are seconds long, so each frame is taken as one second (--camera-fps 1 --sample-fps 1) and
# --minutes counts frames / 60. One core (--threads 1). Prints adapt's own output per clip into
# reports/detector-adapt/<clip>.txt and a summary table. Needs the decoded frames (scripts/data/fetch-footage.sh)
# and the teacher (scripts/teacher/fetch-model.sh). WINNOW overrides the command (default: the built jar).
# Arguments: the clips to run (default: all six), or --summary to only tabulate; the summary covers every
# clip with a report.
set -uo pipefail
cd "$(dirname "$0")/../.."
WINNOW=${WINNOW:-"java --add-modules jdk.incubator.vector -jar model-tools/target/winnow.jar"}
BASE=${BASE:-model-tools/detector/person-detector-int8.wnm}
OUT=reports/detector-adapt
mkdir -p "$OUT"

run() { # clip, camera-fps, frames in the fine-tuning part
  local clip=$1 fps=$2 split=$3
  local minutes
  minutes=$(awk -v s="$split" -v f="$fps" 'BEGIN { printf "%.6f", s / f / 60 }')
  $WINNOW detector adapt --base "$BASE" --camera "data/detector/$clip/native" --camera-fps "$fps" --sample-fps "$fps" \
    --minutes "$minutes" --validate-minutes 60 --threads 1 --out "$OUT/$clip.wnm" >"$OUT/$clip.txt" 2>"$OUT/$clip.err"
  echo "$clip exit $?"
}

# frames of each clip's fine-tuning part: the first half; vtest's 0-635 at its own 10 frames/s
declare -A split=([dog]=21 [night-city]=95 [diver]=176 [webcam]=34 [screencast]=125 [vtest]=636)
declare -A rate=([dog]=1 [night-city]=1 [diver]=1 [webcam]=1 [screencast]=1 [vtest]=10)
clips=("$@")
[ ${#clips[@]} -gt 0 ] || clips=(dog night-city diver webcam screencast vtest)
[ "${clips[0]}" = --summary ] && clips=()
for clip in "${clips[@]}"; do run "$clip" "${rate[$clip]}" "${split[$clip]}"; done

echo "| clip | frames fine-tune / validate | base: kept, P, R, MAE | adapted: kept, P, R, MAE | CPU s | verdict |"
echo "|---|---|---|---|---|---|"
for clip in dog night-city diver webcam screencast vtest; do
  f="$OUT/$clip.txt"
  [ -s "$f" ] || continue
  ft=$(awk -F'|' '/^\| fine-tune \|/ { gsub(/ /, "", $3); print $3 }' "$f")
  va=$(awk -F'|' '/^\| validate \|/ { gsub(/ /, "", $3); print $3 }' "$f")
  b=$(awk -F'|' 'function t(x) { gsub(/^ +| +$/, "", x); return x } /^\| base / && NF == 7 { printf "%s, %s, %s, %s", t($5), t($3), t($4), t($6) }' "$f")
  a=$(awk -F'|' 'function t(x) { gsub(/^ +| +$/, "", x); return x } /^\| adapted / { printf "%s, %s, %s, %s", t($5), t($3), t($4), t($6) }' "$f")
  cpu=$(sed -n 's/.* wall, \([0-9]*\) s CPU.*/\1/p' "$f")
  verdict=accepted
  grep -q '^winnow: refused' "$OUT/$clip.err" && verdict="refused (exit 11)"
  [ -n "$cpu" ] || verdict="not finished"
  echo "| $clip | $ft / $va | $b | $a | $cpu | $verdict |"
done
