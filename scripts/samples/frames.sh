#!/usr/bin/env bash
# Regenerates job-examples/samples/frames from the opencv-doc clips (decoded into data/, not committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-deps.sh
. scripts/lib/test-classpath.sh
module_test_classpath job-examples
exec java -cp "$CP" dev.winnow.examples.samples.FrameSamples "$@"
