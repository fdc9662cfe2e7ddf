#!/usr/bin/env bash
# Idempotent: decodes the opencv-doc clips into frames under data/detector/ (git-ignored; nothing here
# is committed). Needs the Debian packages opencv-doc and ffmpeg (scripts/install-deps.sh).
#   data/detector/vtest/full/NNNN.pgm   768x576 gray, the teacher's input
#   data/detector/vtest/small/NNNN.pgm  320x240 gray, the student's input
#   data/detector/tree/small/NNNN.pgm   320x240 gray, negatives with motion (only ~68 frames decode)
# Frame numbers start at 0000 (ffmpeg's %04d starts at 1; files are renamed to 0-based).
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=${OPENCV_DATA:-/usr/share/doc/opencv-doc/examples/data}
OUT=data/detector
for clip in vtest tree; do
  [ -f "$SRC/$clip.avi" ] || { echo "missing $SRC/$clip.avi (install opencv-doc)"; exit 1; }
done
decode() { # clip size dir
  local clip=$1 size=$2 dir=$3
  if [ -f "$dir/.done" ]; then return; fi
  rm -rf "$dir"; mkdir -p "$dir"
  # tree.avi has a broken tail: keep what decodes
  ffmpeg -nostdin -loglevel error -err_detect ignore_err -i "$SRC/$clip.avi" -vsync passthrough -vf "scale=$size:flags=area,format=gray" \
    -start_number 0 "$dir/%04d.pgm" || true
  touch "$dir/.done"
  echo "$clip $size: $(ls "$dir" | grep -c pgm) frames"
}
decode vtest 768x576 "$OUT/vtest/full"
decode vtest 320x240 "$OUT/vtest/small"
decode tree 320x240 "$OUT/tree/small"
echo "frames in $OUT: vtest $(ls $OUT/vtest/small | grep -c pgm), tree $(ls $OUT/tree/small | grep -c pgm)"
# background plate (median of the training frames) and empty-scene negatives
[ -f "$OUT/plate.pgm" ] && [ -d "$OUT/neg/small" ] || /usr/bin/python3 scripts/detector/make-plate.py
