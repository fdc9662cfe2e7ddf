#!/usr/bin/env bash
# Idempotent: installs the Debian packages Winnow's tests and examples read. apt-get only.
set -euo pipefail
need=()
for pkg in "$@" ${WINNOW_APT_PACKAGES:-}; do need+=("$pkg"); done
# the packages below are added by the modules that read them
need+=(ffmpeg opencv-doc dataset-fashion-mnist)
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
