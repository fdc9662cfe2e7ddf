#!/usr/bin/env bash
# Regenerates job-examples/samples/frames from the opencv-doc clips (decoded into data/, not committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-deps.sh opencv-doc ffmpeg python3-opencv python3-numpy
scripts/detector/prepare-data.sh
/usr/bin/python3 scripts/samples/make-frame-samples.py
