#!/usr/bin/env bash
# Frames per second of the edge job on the standalone cluster (scripts/cluster.sh: a JobManager and two
# TaskManagers as separate JVMs) with the broker on the same machine (scripts/kafka.sh, port 9292), against
# the int8 person detector's JMH frames/s on one thread (DetectorBenchmarks) times the job's parallelism.
#   scripts/cluster-throughput.sh [cameras]     (default 12 cameras of vtest.avi, 795 frames each)
# 1. JMH: the int8 detector on one vtest frame converted as the frame operator converts it (one thread);
# 2. produce frames: the cameras' frames into a topic of 2 partitions, cameras spread evenly (--spread), before the job starts;
# 3. security-retention with the int8 detector at parallelism 2 (bounded at the topic's end, exactly-once
#    verdicts to Kafka, a checkpoint every 2 s), timed from RUNNING to FINISHED on the JobManager's clock;
# 4. prints the table and `cluster throughput: <f> frames/s = <p> % of JMH x 2`.
# The job's span includes task deployment, model loads and the last checkpoint, so the figure is a lower bound.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD CAMERAS=${1:-12}
WORK=$ROOT/target/throughput
export KAFKA_PORT=9292 KAFKA_WORK=$WORK/kafka
BOOTSTRAP=localhost:$KAFKA_PORT REST=localhost:18081 RUN=$(date +%s)
VIDEO=/usr/share/doc/opencv-doc/examples/data/vtest.avi
[ -f "$VIDEO" ] || VIDEO=$(scripts/data/fetch-footage.sh --path vtest)
note() { echo "throughput: $*" >&2; }
if scripts/cluster.sh status >/dev/null 2>&1; then note "a cluster of scripts/cluster.sh is running: stop it first"; exit 1; fi
mkdir -p "$WORK" && rm -rf "$WORK/kafka" "$WORK/out"

note "JMH: the int8 detector, one thread"
if [ ! -f benchmarks/target/benchmarks.jar ] || [ -n "$(find model-runtime/src benchmarks/src -newer benchmarks/target/benchmarks.jar -name '*.java' -print -quit)" ]; then
  mvn -B -ntp -o -q -Pbench -pl benchmarks -am package -DskipTests > "$WORK/bench-build.log" 2>&1
fi
java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar DetectorBenchmarks -p variant=int8 -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1 \
  -jvmArgsAppend "--add-modules=jdk.incubator.vector -Dwinnow.root=$ROOT" > "$WORK/jmh.txt" 2>&1
jmh=$(awk '/DetectorBenchmarks.* thrpt /{print $(NF-3)}' "$WORK/jmh.txt" | tail -1)
[ -n "$jmh" ] || { note "no JMH score in $WORK/jmh.txt"; exit 1; }
note "JMH int8 detector: $jmh frames/s on one thread"

scripts/cluster.sh build > "$WORK/build.log" 2>&1
trap 'scripts/cluster.sh stop >/dev/null 2>&1 || true; scripts/kafka.sh stop --clean >/dev/null 2>&1 || true' EXIT
scripts/kafka.sh start > "$WORK/kafka.log" 2>&1
scripts/cluster.sh start > "$WORK/cluster.log" 2>&1
CP="job-examples/target/job-examples-0.1.0-SNAPSHOT-all.jar:$(cat target/cluster/lib.txt)"
cams=()
for i in $(seq 1 "$CAMERAS"); do cams+=(--camera "cam-$i=$VIDEO"); done
java -cp "$CP" dev.winnow.examples.Main produce frames "${cams[@]}" --kafka "$BOOTSTRAP" --topic "frames-$RUN" --partitions 2 --spread >&2
frames=$(( CAMERAS * 795 ))

out=$(scripts/cluster.sh submit -d security-retention --kafka "$BOOTSTRAP" --kafka-bounded --frames-topic "frames-$RUN" \
  --verdicts-topic "verdicts-$RUN" --group "throughput-$RUN" --out "$WORK/out" --model "$ROOT/model-tools/detector/person-detector-int8.wnm" 2>&1)
JOB=$(echo "$out" | grep -o 'JobID [0-9a-f]\{32\}' | head -1 | cut -d' ' -f2)
[ -n "$JOB" ] || { note "submit failed: $out"; exit 1; }
note "job $JOB: $frames frames"
until curl -sf "$REST/jobs/$JOB" | grep -q '"state":"\(FINISHED\|FAILED\|CANCELED\)"'; do sleep 1; done
info=$(curl -sf "$REST/jobs/$JOB")
echo "$info" | grep -q '"state":"FINISHED"' || { note "the job did not finish: see target/cluster/log"; exit 1; }
running=$(echo "$info" | grep -o '"RUNNING":[0-9]*' | head -1 | cut -d: -f2)
finished=$(echo "$info" | grep -o '"FINISHED":[0-9]*' | head -1 | cut -d: -f2)
awk -v f="$frames" -v ms="$(( finished - running ))" -v j="$jmh" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  fps = f / (ms / 1000.0)
  printf "%-44s %12s\n", "measure", "frames/s"
  printf "%-44s %12.1f\n", "JMH int8 detector, one thread", j
  printf "%-44s %12.1f\n", "JMH x parallelism 2", 2 * j
  printf "%-44s %12.1f\n", "edge job on the cluster, parallelism 2", fps
  printf "cluster throughput: %.1f frames/s = %.1f %% of JMH x 2 (%d frames in %.1f s; load average %s)\n", fps, 100 * fps / (2 * j), f, ms / 1000.0, load
}'
