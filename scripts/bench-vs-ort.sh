#!/usr/bin/env bash
# Winnow against ONNX Runtime on identical weights (issue 21's side-by-side harness): builds the
# benchmarks module (-Pbench) and runs dev.winnow.bench.SideBySide, which exports every case with
# `winnow export onnx`, checks the twins agree, times both with JMH (ONNX Runtime on one intra-op
# thread) and ends with one CSV block case,jdk,winnow,onnxruntime,unit,ratio.
# Usage: scripts/bench-vs-ort.sh [--quick] [--jdk /path/to/java_home] [--no-vector] [case ...]
# Both runtimes share one core (taskset -c 0) when taskset exists. The teacher case reads
# models/teacher/centernet.wnm (git-ignored; symlink it from a checkout that has it).
set -euo pipefail
cd "$(dirname "$0")/.."
java=java
vector=(--add-modules jdk.incubator.vector)
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) java="$2/bin/java"; shift 2 ;;
    --no-vector) vector=(); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ ! -f benchmarks/target/benchmarks.jar ] || [ -n "$(find model-runtime/src model-tools/src benchmarks/src -newer benchmarks/target/benchmarks.jar -name '*.java' -print -quit)" ]; then
  # the build's own output only when it fails: the run's output ends with the CSV block
  if ! build=$(mvn -B -ntp -o -q -Pbench -pl benchmarks -am package -DskipTests 2>&1); then echo "$build"; exit 1; fi
fi
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"${pin[@]}" "$java" "${vector[@]}" -Dwinnow.root="$PWD" -cp benchmarks/target/benchmarks.jar dev.winnow.bench.SideBySide "${args[@]}" \
  2>&1 | grep -v '^WARNING: Using incubator'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
