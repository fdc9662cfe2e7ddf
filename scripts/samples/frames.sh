#!/usr/bin/env bash
# Regenerates job-examples/samples/frames from the opencv-doc clips and cityCC0.mpg (decoded into data/ by
# scripts/data/fetch-footage.sh, not committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-deps.sh
. scripts/lib/test-classpath.sh
module_test_classpath job-examples
exec java -cp "$CP" dev.winnow.examples.samples.FrameSamples "$@"
