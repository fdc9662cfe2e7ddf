#!/usr/bin/env bash
# Exactly-once through a TaskManager crash, on a real standalone cluster (scripts/cluster.sh) and a real
# broker (scripts/kafka.sh, its own on port 9192 with data under target/failover/kafka):
#   1. four cameras of vtest.avi frames (4 x 795, 10 frames/s of video; enough that the job is still running through both kills now that the int8 detector does over 550 frames/s a core) go to a frames topic (produce frames);
#   2. security-retention with the int8 person detector reads it (bounded at the topic's end, parallelism 2,
#      a checkpoint every 2 s) and writes every frame's verdict to a verdicts topic with an exactly-once
#      (transactional) KafkaSink;
#      The job follows person-detector@production in a directory registry (v1: the int8 detector, v2: its
#      float twin, both signed with a key made here; the job trusts only it);
#   3. after the job's first completed checkpoint, `kill -9` one TaskManager running its tasks, and start
#      a TaskManager again; the job restores from its last checkpoint;
#   4. once output resumes, promote v2; when the swap coordinator has decided (every subtask loaded v2)
#      and before the barrier where they switch, `kill -9` the other TaskManager, start it again; the job
#      restores and runs to the end;
#   5. a read_committed consumer finds every input frame's verdict exactly once, and per camera the
#      versions only move forward from v1 to v2 and end on v2.
# Prints: exactly-once: <in> in, <out> out, <lost> lost, <dup> duplicated, <r> restarts, swap to v2 on all subtasks
# and the bytes that crossed Kafka per camera-hour of video: the frames against the verdicts sent on.
# Exit 0 only when nothing is lost or duplicated, the job restarted at least twice and every camera
# ended on v2. Bounded to 5 minutes
# (FAILOVER_LIMIT seconds); on any exit it stops the cluster and the broker it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/cluster-run.sh
ROOT=$PWD
LIMIT=${FAILOVER_LIMIT:-300}
WORK=$ROOT/target/failover
export KAFKA_PORT=9192 KAFKA_WORK=$WORK/kafka
BOOTSTRAP=localhost:$KAFKA_PORT
REST=localhost:18081
RUN=$(date +%s)
FRAMES=frames-$RUN
VERDICTS=verdicts-$RUN
VIDEO=${FAILOVER_VIDEO:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}
T0=$(date +%s)
say() { echo "failover [$(( $(date +%s) - T0 )) s]: $*"; }
die() { echo "failover [$(( $(date +%s) - T0 )) s]: $*" >&2; exit 1; }

[ -f "$VIDEO" ] || VIDEO=$(scripts/data/fetch-footage.sh --path vtest) || die "no vtest.avi (scripts/data/fetch-footage.sh)"
if scripts/cluster.sh status >/dev/null 2>&1; then die "a cluster of scripts/cluster.sh is running: stop it first (scripts/cluster.sh stop)"; fi

started_cluster=0 started_kafka=0 watchdog=""
cleanup() {
  local rc=$?
  [ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null || true
  [ "$started_cluster" = 1 ] && scripts/cluster.sh stop >/dev/null 2>&1 || true
  [ "$started_kafka" = 1 ] && scripts/kafka.sh stop --clean >/dev/null 2>&1 || true
  say "cluster and broker stopped; ps shows $(ps -eo args= | grep -F -e "$ROOT/target/cluster/conf" -e "$KAFKA_WORK/server.properties" | grep -vc grep || true) of their JVMs left"
  exit "$rc"
}
trap cleanup EXIT
time_limit "$LIMIT"

mkdir -p "$WORK"
rm -rf "$WORK/kafka" "$WORK/out"
build_cluster_jar "$WORK"
say "starting a broker on $BOOTSTRAP and a cluster (1 JobManager, 2 TaskManagers)"
started_kafka=1 started_cluster=1
scripts/kafka.sh start > "$WORK/kafka-start.log" 2>&1 &
kafka_pid=$!
scripts/cluster.sh start > "$WORK/cluster-start.log" 2>&1 &
cluster_pid=$!
wait "$kafka_pid" || die "the broker did not start: $(tail -2 "$WORK/kafka-start.log")"
wait "$cluster_pid" || die "the cluster did not start: $(tail -2 "$WORK/cluster-start.log")"
say "$(tail -1 "$WORK/cluster-start.log" | sed 's/^cluster.sh: //')"

# the cluster jar runs produce frames and the check on Flink's own lib (the jar has Flink 'provided')
JAR=job-examples/target/job-examples-0.1.0-SNAPSHOT-all.jar
CP="$JAR:$(cat target/cluster/lib.txt)"
java -cp "$CP" dev.winnow.examples.Main produce frames --camera "cam-a=$VIDEO" --camera "cam-b=$VIDEO" --camera "cam-c=$VIDEO" --camera "cam-d=$VIDEO" \
  --kafka "$BOOTSTRAP" --topic "$FRAMES" --partitions 2 --spread 2>"$WORK/produce.err" | sed 's/^/failover: /' \
  || die "produce frames failed: $(tail -3 "$WORK/produce.err")"

winnow() { java -cp "$CP" dev.winnow.tools.cli.WinnowCli "$@"; }
REG=$WORK/registry
rm -rf "$REG" "$WORK/key".*
{ winnow keygen "$WORK/key" \
  && winnow sign model-tools/detector/person-detector-int8.wnm -o "$WORK/v1.wnm" --key "$WORK/key.key.pem" --pub "$WORK/key.pub.pem" \
  && winnow sign model-tools/detector/person-detector-float.wnm -o "$WORK/v2.wnm" --key "$WORK/key.key.pem" --pub "$WORK/key.pub.pem" \
  && winnow registry publish --dir "$REG" person-detector "$WORK/v1.wnm" --alias production \
  && winnow registry publish --dir "$REG" person-detector "$WORK/v2.wnm"; } > "$WORK/registry.log" 2>&1 \
  || die "the registry was not set up: $(tail -3 "$WORK/registry.log")"

submit_out=$(scripts/cluster.sh submit -d security-retention --kafka "$BOOTSTRAP" --kafka-bounded --frames-topic "$FRAMES" \
  --verdicts-topic "$VERDICTS" --group "failover-$RUN" --out "$WORK/out" \
  --registry "$REG" --trust "$WORK/key.pub.pem" --model person-detector@production 2>&1) || die "submit failed: $submit_out"
JOB=$(echo "$submit_out" | grep -o 'JobID [0-9a-f]\{32\}' | head -1 | cut -d' ' -f2)
[ -n "$JOB" ] || die "no JobID in: $submit_out"
say "job $JOB submitted"

json() { curl -sf "$REST/$1" 2>/dev/null || true; }
state() { json "jobs/$JOB" | grep -o '"state":"[A-Z]*"' | head -1 | cut -d'"' -f4; }
completed() { json "jobs/$JOB/checkpoints" | grep -o '"completed":[0-9]*' | head -1 | cut -d: -f2; }
# restarts: the numRestarts metric, or the JobManager log's restores when more. The REST metric fetcher can lag a
# restart by tens of seconds while it still waits on the killed TaskManager, and a short job then ends first.
restarts() {
  local m l
  m=$(json "jobs/$JOB/metrics?get=numRestarts" | grep -o '"value":"[0-9]*"' | cut -d'"' -f4)
  l=$(grep -c "Restoring job $JOB from Checkpoint" target/cluster/log/jobmanager.log 2>/dev/null || true)
  echo $(( ${m:-0} > ${l:-0} ? ${m:-0} : ${l:-0} ))
}

while [ "$(completed)" = "" ] || [ "$(completed)" -lt 1 ]; do
  s=$(state); case "$s" in FINISHED|FAILED|CANCELED) die "job $s before its first checkpoint: too few frames to kill mid-run" ;; esac
  sleep 0.5
done
# the TaskManager that runs the source's first subtask runs part of the job (both when the slots are spread)
source_vertex=$(json "jobs/$JOB" | grep -o '"vertices":\[{"id":"[0-9a-f]*"' | grep -o '[0-9a-f]\{32\}')
victim=$(json "jobs/$JOB/vertices/$source_vertex/taskmanagers" | grep -o '"taskmanager-id":"taskmanager-[0-9]*"' | head -1 | cut -d'"' -f4)
[ -n "$victim" ] || victim=taskmanager-1
victim_pid=$(cat "target/cluster/pids/$victim.pid")
committed_before=$(json "jobs/$JOB/checkpoints" | grep -o '"completed":[0-9]*' | head -1 | cut -d: -f2)
kill -9 "$victim_pid"
killed_at=$(date +%s)
say "kill -9 $victim (pid $victim_pid) after checkpoint $committed_before completed"
# the TaskManager starts again while the job recovers on the slots left
scripts/cluster.sh start > "$WORK/cluster-restart.log" 2>&1 &
restart_pid=$!

# waits for output to resume after kill number $1: a checkpoint completed after the restore commits the
# sink's transaction. Sets r (restarts seen).
r=0
await_resume() {
  local want=$1 resumed=""
  while :; do
    s=$(state)
    n=$(restarts); [ -n "$n" ] && r=$n
    c=$(completed)
    if [ "${r:-0}" -ge "$want" ] && [ -n "$c" ] && [ "$c" -gt "$committed_before" ]; then
      say "checkpoint $c completed after the restore: output committed again $(( $(date +%s) - killed_at )) s after kill $want"
      return 0
    fi
    case "$s" in FINISHED) return 1 ;; FAILED|CANCELED) die "job $s after the kill: see target/cluster/log" ;; esac
    sleep 1
  done
}
await_resume 1 || die "the job finished before output resumed after the first kill: too few frames"

# the swap, at once (the job runs on the survivor's slots while the killed TaskManager starts again): promote v2, and kill the other TaskManager once the coordinator has committed it (every
# subtask loaded v2) but before the barrier where they switch, or as close after it as the log shows
decided_before=$(grep -c "v2 loaded on all" target/cluster/log/jobmanager.log || true)
winnow registry alias --dir "$REG" person-detector production 2 >> "$WORK/registry.log" 2>&1 || die "promote failed: $(tail -2 "$WORK/registry.log")"
promoted_at=$(date +%s)
say "promoted v2"
while [ "$(grep -c "v2 loaded on all" target/cluster/log/jobmanager.log || true)" -le "$decided_before" ]; do
  [ $(( $(date +%s) - promoted_at )) -lt 60 ] || die "no swap decision within 60 s of the promote: see target/cluster/log/jobmanager.log"
  case "$(state)" in FINISHED|FAILED|CANCELED) die "job ended before the swap was decided" ;; esac
  sleep 0.2
done
# the TaskManager running the job's tasks now (after the first restore they may all be on the survivor)
victim2=$(json "jobs/$JOB/vertices/$source_vertex/taskmanagers" | grep -o '"taskmanager-id":"taskmanager-[0-9]*"' | head -1 | cut -d'"' -f4)
[ -n "$victim2" ] || { victim2=taskmanager-1; [ "$victim" = taskmanager-1 ] && victim2=taskmanager-2; }
victim_pid=$(cat "target/cluster/pids/$victim2.pid")
committed_before=$(completed)
kill -9 "$victim_pid"
killed_at=$(date +%s)
say "kill -9 $victim2 (pid $victim_pid) during the swap to v2: decided, checkpoint $committed_before the last completed"
# one start at a time: the first kill's TaskManager may still be starting
wait "$restart_pid" || die "the TaskManager did not start again: $(tail -2 "$WORK/cluster-restart.log")"
scripts/cluster.sh start > "$WORK/cluster-restart2.log" 2>&1 &
restart_pid=$!
await_resume 2 || say "the job finished before a checkpoint completed after the second restore"
while :; do
  case "$(state)" in FINISHED) break ;; FAILED|CANCELED) die "job failed after the second kill: see target/cluster/log" ;; esac
  n=$(restarts); [ -n "$n" ] && r=$n
  sleep 1
done
wait "$restart_pid" || die "the TaskManager did not start again: $(tail -2 "$WORK/cluster-restart2.log")"
say "job finished $(( $(date +%s) - killed_at )) s after the second kill"
java -cp "$CP" scripts/lib/ExactlyOnceCheck.java "$BOOTSTRAP" "$FRAMES" "$VERDICTS" "$r" 2 2>"$WORK/check.err" \
  || { cat "$WORK/check.err" >&2; die "verdicts lost or duplicated, or a camera not on v2"; }
[ "$r" -ge 2 ] || die "the job restarted $r times: a kill did not hit it"
say "done in $(( $(date +%s) - T0 )) s"
