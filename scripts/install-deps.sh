#!/usr/bin/env bash
# Idempotent: installs the Debian packages that Winnow's tests and examples read, with apt-get only.
# opencv-doc: letter-recognition.data, vtest.avi, tree.avi; dataset-fashion-mnist: the IDX files;
# ffmpeg: decodes the clips and feeds the ffmpeg camera source; mosquitto: the MQTT broker the tests start;
# vlc-bin + vlc-plugin-base: the RTSP server (cvlc) RtspRecordingTest starts; chromium: renders report.html headless.
# nodejs/npm (only when no node or npm is on the PATH): fetch the teacher model, run the TF.js reference.
# Then scripts/teacher/fetch-model.sh fetches the teacher model into models/teacher/ (git-ignored).
# Then the footage and the sensor series (scripts/data/fetch-*.sh) under data/ (git-ignored).
set -euo pipefail
PACKAGES=(opencv-doc dataset-fashion-mnist ffmpeg mosquitto vlc-bin vlc-plugin-base chromium)
for pkg in "$@"; do PACKAGES+=("$pkg"); done
# node may come from another apt source (e.g. a nodejs that bundles npm): ask for Debian's only if absent
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
missing=()
for pkg in "${PACKAGES[@]+"${PACKAGES[@]}"}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
"$(dirname "$0")/teacher/fetch-model.sh"
# the pinned TensorFlow.js the teacher's golden test runs as its reference (tools/tfjs-reference)
ref="$(dirname "$0")/../tools/tfjs-reference"
if [ ! -d "$ref/node_modules/@tensorflow/tfjs-backend-wasm" ]; then
  (cd "$ref" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "install-deps: npm ci in tools/tfjs-reference failed"; exit 1; }
fi
# real footage of other cameras (model-tools/detector/training-sources.csv), decoded under data/detector
"$(dirname "$0")/data/fetch-footage.sh" >/dev/null
# real sensor series from Debian packages (scripts/data/sensor-sources.csv) under data/sensors: WeatherAnomalyTest reads them
"$(dirname "$0")/data/fetch-sensor-series.sh" >/dev/null
