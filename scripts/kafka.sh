#!/usr/bin/env bash
# A local Kafka broker without a Kafka download: one KRaft node (controller and broker in one JVM) run
# as `kafka.Kafka` from Kafka's Maven Central jars (org.apache.kafka:kafka_2.13 4.2.0, the version of the
# kafka-clients the Flink connector brings). Data under target/kafka/data (formatted on the first start,
# kept across restarts; `stop --clean` deletes it), log in target/kafka/log, PID in target/kafka/kafka.pid.
#
#   scripts/kafka.sh start     start the broker on localhost:9092 (KAFKA_PORT=… for another port)
#   scripts/kafka.sh stop [--clean]
#                              stop the broker this script started (and delete its data with --clean)
#   scripts/kafka.sh status    the broker's PID and its topics (from its data dir)
# KAFKA_JAVA_OPTS (environment, at start) adds JVM options to the broker, e.g. a flight recording.
#
# Single-node settings a transactional (exactly-once) sink needs: the transaction and offsets topics with
# replication factor 1. New topics get 2 partitions, one per subtask of the example jobs' parallelism 2.
source "$(dirname "$0")/lib/daemons.sh"
KAFKA_VERSION=4.2.0
PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=$((PORT + 1))
WORK=${KAFKA_WORK:-$ROOT/target/kafka}   # KAFKA_WORK=… for a second broker beside it (with another KAFKA_PORT)
mkdir -p "$WORK" && WORK=$(cd "$WORK" && pwd)
PIDFILE=$WORK/kafka.pid
CONF=$WORK/server.properties

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
say() { echo "kafka.sh: $*"; }
die() { echo "kafka.sh: $*" >&2; exit 1; }

classpath() {
  maven_classpath "$WORK" "org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
}

configure() {
  mkdir -p "$WORK/data" "$WORK/log"
  cat > "$CONF" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$CONTROLLER_PORT
listeners=PLAINTEXT://localhost:$PORT,CONTROLLER://localhost:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$WORK/data
num.partitions=2
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
CONF
  cat > "$WORK/log4j2.properties" <<CONF
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = $WORK/log/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d %-5p %c{1} - %m%n
CONF
}

kafka_java() { java -Dlog4j2.configurationFile="$WORK/log4j2.properties" -cp "$LIB" "$@"; }

# the broker's PID, while the process is still our broker (its command line names our config)
ours() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid=$(cat "$PIDFILE")
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$CONF"; then echo "$pid"; else rm -f "$PIDFILE"; return 1; fi
}

holder() { # "pid command" of a process listening on port $1, if any
  local line pid
  line=$(ss -ltnpH "sport = :$1" 2>/dev/null | head -1)
  [ -n "$line" ] || return 1
  pid=$(echo "$line" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  echo "${pid:-?} $(tr '\0' ' ' < "/proc/${pid:-0}/cmdline" 2>/dev/null | cut -c1-120)"
}

start() {
  if pid=$(ours); then say "already running (pid $pid) on localhost:$PORT"; return 0; fi
  local p h
  for p in $PORT $CONTROLLER_PORT; do
    if h=$(holder "$p"); then die "refusing to start: port $p is held by a process this script did not start: $h"; fi
  done
  classpath
  configure
  if [ ! -f "$WORK/data/meta.properties" ]; then
    # KRaft storage is formatted once with a cluster id; a restart keeps the topics
    local id; id=$(kafka_java kafka.tools.StorageTool random-uuid)
    kafka_java kafka.tools.StorageTool format --cluster-id "$id" --config "$CONF" >"$WORK/log/format.out" 2>&1 \
      || die "formatting $WORK/data failed: $(tail -3 "$WORK/log/format.out")"
  fi
  # shellcheck disable=SC2086 # KAFKA_JAVA_OPTS is a word list by design
  ( exec java -Xmx512m ${KAFKA_JAVA_OPTS:-} -Dlog4j2.configurationFile="$WORK/log4j2.properties" -cp "$LIB" kafka.Kafka "$CONF" \
      > "$WORK/log/kafka.out" 2>&1 < /dev/null ) &
  echo $! > "$PIDFILE"
  await_exec $! "$CONF"
  for _ in $(seq 1 60); do
    ours >/dev/null || die "the broker exited; see $WORK/log/kafka.out and server.log"
    grep -q "Kafka Server started" "$WORK/log/server.log" 2>/dev/null && break
    sleep 1
  done
  grep -q "Kafka Server started" "$WORK/log/server.log" 2>/dev/null || { stop; die "the broker did not start in 60 s; see $WORK/log"; }
  say "broker up on localhost:$PORT (pid $(cat "$PIDFILE")), data in $WORK/data"
}

stop() {
  local pid
  if pid=$(ours); then
    kill "$pid" 2>/dev/null || true
    await_exit "$pid" broker
    rm -f "$PIDFILE"
    say "broker stopped (pid $pid)"
  else
    say "no broker of this script is running"
  fi
  if ps -eo args= | grep -F -- "kafka.Kafka $CONF" | grep -vq grep; then die "a broker on $CONF is still running"; fi
  if [ "${1:-}" = "--clean" ]; then rm -rf "$WORK/data"; say "deleted $WORK/data"; fi
}

status() {
  local pid
  if pid=$(ours); then
    local topics
    # topic-partition folders of the data dir, less Kafka's internal topics
    topics=$(find "$WORK/data" -mindepth 1 -maxdepth 1 -type d -name '*-[0-9]*' -printf '%f\n' | sed 's/-[0-9]*$//' | grep -v '^__' | sort -u | tr '\n' ' ' || true)
    say "broker running (pid $pid) on localhost:$PORT; topics: ${topics:-none}"
  else
    say "no broker of this script is running"
    return 1
  fi
}

cmd=${1:-}; [ $# -gt 0 ] && shift
case "$cmd" in
  start) start ;;
  stop) stop "$@" ;;
  status) status ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
