#!/usr/bin/env bash
# Idempotent: brings the real sensor series that scripts/data/sensor-sources.csv lists from their Debian
# package, without installing it (apt-get download + dpkg -x: only the files, none of the dependencies),
# into data/sensors/<source>.csv (git-ignored), and checks each file's size and sha256 against the list.
# The series are NOAA weather-station records (public domain, as the package's copyright file says):
# the richest multi-channel labelled series found in Debian, npm and Maven Central package lists
# (seattle-weather: 1461 daily readings of 4 channels with a weather label).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/deb-extract.sh
MANIFEST=scripts/data/sensor-sources.csv
PKGS=data/sensors/pkgs
OUT=data/sensors
mkdir -p "$PKGS"

printf '%-16s %-24s %8s %9s %s\n' source package readings bytes file
tail -n +2 "$MANIFEST" | while IFS=, read -r source package version file bytes sha readings channels label period; do
  out="$OUT/$source.csv"
  if [ ! -f "$out" ] || [ "$(sha256sum <"$out" | cut -d' ' -f1)" != "$sha" ]; then
    deb_extract "$PKGS" "$package" "$version"
    src="$PKGS/$package/x$file"
    [ -f "$src" ] || { echo "fetch-sensor-series: $package $version has no $file"; exit 1; }
    cp "$src" "$out"
  fi
  got=$(sha256sum <"$out" | cut -d' ' -f1)
  [ "$got" = "$sha" ] || { echo "fetch-sensor-series: $out has sha256 $got, the list says $sha"; exit 1; }
  [ "$(stat -c %s "$out")" = "$bytes" ] || { echo "fetch-sensor-series: $out is not $bytes bytes"; exit 1; }
  printf '%-16s %-24s %8s %9s %s\n' "$source" "$package $version" "$readings" "$bytes" "$out"
done
