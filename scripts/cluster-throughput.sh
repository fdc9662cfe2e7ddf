#!/usr/bin/env bash
# Frames per second of the edge job on the standalone cluster (scripts/cluster.sh: a JobManager and two
# TaskManagers as separate JVMs) with the broker on the same machine (scripts/kafka.sh, port 9292), against
# the int8 person detector's JMH frames/s on one thread (DetectorBenchmarks) times the job's parallelism.
#   scripts/cluster-throughput.sh [cameras]     (default 36 cameras of vtest.avi, 795 frames each: a run long enough that
#   the JIT has settled for most of it; with 12 the TaskManagers spend a fifth of their CPU compiling throughout)
# 1. JMH: the int8 detector on one vtest frame converted as the frame operator converts it (one thread);
# 2. produce frames: the cameras' frames into a topic of 2 partitions, cameras spread evenly (--spread), before the job starts;
# 3. security-retention with the int8 detector at parallelism 2 (bounded at the topic's end, exactly-once
#    verdicts to Kafka, a checkpoint every 2 s), timed from RUNNING to FINISHED on the JobManager's clock;
# 4. prints the table and `cluster throughput: <f> frames/s = <p> % of JMH x 2`. The job's span includes task
#    deployment, model loads, the JIT's warm-up and the last checkpoint, so that figure is a lower bound;
# 5. the steady rate: frames through the detector per second (the TaskManagers' Prometheus endpoints, polled
#    every 2 s) from 20 % to 80 % of the frames, against JMH x 2;
# 6. the CPU seconds each JVM used during the job (/proc) and per frame, against the detector's JMH time per
#    frame, and how busy the machine was: CPU per frame does not depend on what else shares the cores;
# 7. the CPU of each kind of thread of every JVM from 20 % to 80 % of the frames, per frame, the largest first
#    (/proc/<pid>/task/*/stat): what shares the cores with the detector's threads.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD CAMERAS=${1:-36}
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

# CPU seconds each JVM used during the job (utime + stime from /proc), and the machine's busy share:
# contention from other processes shows there, and the CPU per frame does not depend on it
TICK=$(getconf CLK_TCK)
cpu() { local f="$1" pid; pid=$(cat "$f" 2>/dev/null) && awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0; }
cpus() { echo "$(cpu target/cluster/pids/taskmanager-1.pid) $(cpu target/cluster/pids/taskmanager-2.pid) $(cpu target/cluster/pids/jobmanager.pid) $(cpu "$WORK/kafka/kafka.pid")"; }
machine() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }   # busy and idle ticks, all cores
cpu0=$(cpus) machine0=$(machine)
out=$(scripts/cluster.sh submit -d security-retention --kafka "$BOOTSTRAP" --kafka-bounded --frames-topic "frames-$RUN" \
  --verdicts-topic "verdicts-$RUN" --group "throughput-$RUN" --out "$WORK/out" --model "$ROOT/model-tools/detector/person-detector-int8.wnm" 2>&1)
JOB=$(echo "$out" | grep -o 'JobID [0-9a-f]\{32\}' | head -1 | cut -d' ' -f2)
[ -n "$JOB" ] || { note "submit failed: $out"; exit 1; }
note "job $JOB: $frames frames"
# frames through the detector so far, from the TaskManagers' Prometheus endpoints (live; the REST API's
# vertex metrics lag up to 10 s): "<ms> <frames> <CPU ticks: cpus()>" every 2 s, for the steady rate past
# start-up and JIT
scored() { for p in $(seq 9250 9253); do curl -sf "localhost:$p/metrics" 2>/dev/null; done \
  | awk '/^flink_taskmanager_job_task_operator_numRecordsIn\{/ && /operator_name="person_detector"/ { s += $NF } END { print s + 0 }'; }
# every thread's CPU ticks in each JVM, "<jvm> <tid> <name> <ticks>", taken when 20 % and when 80 % of the
# frames have been scored: where the CPU of the steady rate goes (the name is /proc's, 15 characters)
threads() {
  local jvm pid t st rest
  for jvm in taskmanager-1 taskmanager-2 jobmanager broker; do
    if [ "$jvm" = broker ]; then pid=$(cat "$WORK/kafka/kafka.pid" 2>/dev/null) || continue
    else pid=$(cat "target/cluster/pids/$jvm.pid" 2>/dev/null) || continue; fi
    for t in /proc/"$pid"/task/*; do
      st=$(cat "$t/stat" 2>/dev/null) || continue
      rest=${st##*) }   # the fields after the name, which may hold spaces and parentheses
      set -- $rest
      echo "$jvm ${t##*/} $(tr ' ' '_' < "$t/comm" 2>/dev/null) $(( ${12} + ${13} ))"
    done
  done
}
: > "$WORK/progress.txt"
rm -f "$WORK/threads-20.txt" "$WORK/threads-80.txt"
until curl -sf "$REST/jobs/$JOB" | grep -q '"state":"\(FINISHED\|FAILED\|CANCELED\)"'; do
  n=$(scored) || true   # an endpoint not up yet: curl fails, the sum of the others stands
  echo "$(date +%s%3N) $n $(cpus)" >> "$WORK/progress.txt"
  if [ ! -f "$WORK/threads-20.txt" ] && [ "$n" -ge $(( frames / 5 )) ]; then threads > "$WORK/threads-20.txt"; echo "$n" > "$WORK/threads-20.n"; fi
  if [ ! -f "$WORK/threads-80.txt" ] && [ "$n" -ge $(( frames * 4 / 5 )) ]; then threads > "$WORK/threads-80.txt"; echo "$n" > "$WORK/threads-80.n"; fi
  sleep 2   # each scrape costs the TaskManagers CPU (JFR: 2.5 % of their samples at one a second)
done
cpu1=$(cpus) machine1=$(machine)
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
echo "$cpu0 $cpu1 $machine0 $machine1" | awk -v t="$TICK" -v f="$frames" -v j="$jmh" '{
  tm = ($5 - $1 + $6 - $2) / t; jm = ($7 - $3) / t; broker = ($8 - $4) / t
  busy = $11 - $9; idle = $12 - $10
  printf "cpu during the job: taskmanagers %.1f s, jobmanager %.1f s, broker %.1f s; the machine was %.0f %% busy\n", tm, jm, broker, 100 * busy / (busy + idle)
  printf "cpu per frame: %.2f ms in the taskmanagers, %.2f ms with the jobmanager and broker; the detector alone (JMH) %.2f ms\n", 1000 * tm / f, 1000 * (tm + jm + broker) / f, 1000 / j
}'
# the steady rate: from the first poll past 20 % of the frames to the first past 80 % (a subtask's metrics
# vanish when it finishes, so the last polls undercount)
awk -v f="$frames" -v j="$jmh" -v t="$TICK" '$2 >= 0.2 * f && !a { a = 1; t0 = $1; n0 = $2; c0 = $3 + $4; o0 = $5 + $6 } $2 >= 0.8 * f && !b { b = 1; t1 = $1; n1 = $2; c1 = $3 + $4; o1 = $5 + $6 }
  END { if (b && t1 > t0 && n1 > n0) {
          r = (n1 - n0) / ((t1 - t0) / 1000)
          printf "steady rate (20-80 %% of the frames): %.1f frames/s = %.1f %% of JMH x 2; CPU per frame %.2f ms in the taskmanagers, %.2f ms in the jobmanager and broker\n", r, 100 * r / (2 * j), 1000 * (c1 - c0) / t / (n1 - n0), 1000 * (o1 - o0) / t / (n1 - n0)
        } else print "steady rate: too few progress samples (a longer run: more cameras)" }' "$WORK/progress.txt"
# per thread between the two snapshots: threads of one kind summed (digits in names as #), the largest first
if [ -f "$WORK/threads-20.txt" ] && [ -f "$WORK/threads-80.txt" ]; then
  scored_between=$(( $(cat "$WORK/threads-80.n") - $(cat "$WORK/threads-20.n") ))
  echo "cpu per thread from 20 to 80 % of the frames ($scored_between frames):"
  awk 'FNR == NR { before[$1 " " $2] = $4; next }
       { name = $3; gsub(/[0-9]+/, "#", name); d[$1 " " name] += $4 - before[$1 " " $2] }
       END { for (k in d) if (d[k] > 0) print d[k], k }' "$WORK/threads-20.txt" "$WORK/threads-80.txt" \
    | sort -rn | awk -v t="$TICK" -v n="$scored_between" '
      { ticks[NR] = $1; jvm[NR] = $2; name[NR] = $3; all += $1 }
      END { printf "  %-14s %-18s %8s %7s %9s\n", "jvm", "thread", "cpu s", "share", "ms/frame"
            for (i = 1; i <= NR && i <= 12; i++)
              printf "  %-14s %-18s %8.2f %6.1f%% %9.3f\n", jvm[i], name[i], ticks[i] / t, 100 * ticks[i] / all, 1000 * ticks[i] / t / n }'
fi
