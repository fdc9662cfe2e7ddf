#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the Debian packages the tests read
# (real data, ffmpeg, mosquitto), then builds every module and runs its tests.
# Then checks that the demo still starts after `mvn verify` replaced the cluster jar (Flink provided):
# run-demo.sh runs its own self-contained jar, built here when missing or stale, which must carry
# the MiniCluster.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
mvn -B -ntp verify "$@"
help=$(scripts/run-demo.sh --help 2>&1) || { echo "$help"; echo "test.sh: scripts/run-demo.sh --help failed after mvn verify"; exit 1; }
grep -q -- '--registry' <<<"$help" || { echo "$help"; echo "test.sh: scripts/run-demo.sh --help printed no job options"; exit 1; }
unzip -l job-examples/target/demo/winnow-examples.jar org/apache/flink/runtime/minicluster/MiniCluster.class >/dev/null \
  || { echo "test.sh: the demo jar has no Flink MiniCluster inside"; exit 1; }
echo "test.sh: scripts/run-demo.sh --help works after mvn verify"
