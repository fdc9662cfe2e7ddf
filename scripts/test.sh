#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the Debian packages the tests read
# (real data, ffmpeg, mosquitto), then builds every module and runs its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# the README's first command keeps working beside the test build (its jar is its own, Flink inside)
scripts/run-demo.sh --help >/dev/null
exec mvn -B -ntp verify "$@"
