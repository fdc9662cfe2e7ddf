#!/usr/bin/env bash
# Idempotent: installs the Debian packages that Winnow's tests and examples read, with apt-get only.
# opencv-doc: letter-recognition.data, vtest.avi, tree.avi; dataset-fashion-mnist: the IDX files;
# ffmpeg: decodes the clips and feeds the ffmpeg camera source; mosquitto: the MQTT broker the tests start.
set -euo pipefail
PACKAGES=(opencv-doc dataset-fashion-mnist ffmpeg mosquitto)
for pkg in "$@"; do PACKAGES+=("$pkg"); done
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
