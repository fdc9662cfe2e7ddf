#!/usr/bin/env bash
# A local standalone Flink session cluster without a Flink download: Flink's own entry points run from
# its Maven Central jars (what a distribution's lib/ holds, plus the Prometheus reporter), one
# JobManager and two TaskManagers (2 slots each), each a separate JVM. Checkpoints and savepoints go to
# target/cluster/{checkpoints,savepoints} (file://), logs to target/cluster/log, PIDs to
# target/cluster/pids. The script stops only the JVMs whose PIDs it wrote.
#
#   scripts/cluster.sh start            start what is not running (after a TaskManager died, start restarts it)
#   scripts/cluster.sh stop             stop every JVM it started, and check with ps that none is left
#   scripts/cluster.sh status           the JVMs, the REST overview, the running jobs, the metrics ports
#   scripts/cluster.sh submit [-d] <job> [job options]
#                                       submit a job-examples job through Flink's CliFrontend (`flink run`);
#                                       -d returns once the job is submitted, printing its JobID
#   scripts/cluster.sh build            build the cluster jar if it is missing or stale (submit does)
#   scripts/cluster.sh run <job> [job options]
#                                       start, submit and wait, stop (default job: security-retention
#                                       --out reports/cluster/security-retention)
#
# Ports: JobManager RPC 16123, REST 18081, Prometheus 9249-9259 (one per JVM, in start order: the
# JobManager 9249, the TaskManagers the next free ones). `start` refuses when a process it did not
# start holds one of these ports.
#
# CLUSTER_JAVA_OPTS (environment, at start) adds JVM options to the TaskManagers, e.g. a flight recording of
# a run: CLUSTER_JAVA_OPTS=-XX:StartFlightRecording=filename=target/cluster/jfr/ (one file per JVM).
source "$(dirname "$0")/lib/daemons.sh"
FLINK_VERSION=2.2.0
TASKMANAGERS=2
RPC_PORT=16123
REST_PORT=18081
PROM_PORTS=$(seq 9249 9259)
WORK=$ROOT/target/cluster
CONF_DIR=$WORK/conf
LOGS=$WORK/log
PIDS=$WORK/pids
JAR=$ROOT/job-examples/target/job-examples-0.1.0-SNAPSHOT-all.jar

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; }
say() { echo "cluster.sh: $*"; }
die() { echo "cluster.sh: $*" >&2; exit 1; }

# ---- the classpath: what a Flink distribution's lib/ holds, resolved once from Maven Central ----
classpath() {
  local a deps=()
  for a in flink-clients flink-streaming-java flink-runtime flink-connector-files flink-connector-base flink-table-api-java flink-metrics-prometheus; do
    deps+=("org.apache.flink:$a:$FLINK_VERSION")
  done
  maven_classpath "$WORK" "${deps[@]}"
}

configure() {
  mkdir -p "$CONF_DIR" "$LOGS" "$PIDS" "$WORK/checkpoints" "$WORK/savepoints" "$WORK/tmp"
  cat > "$CONF_DIR/config.yaml" <<CONF
jobmanager: {rpc: {address: localhost, port: $RPC_PORT}, bind-host: localhost, memory: {process: {size: 1024m}}}
taskmanager: {host: localhost, bind-host: localhost, numberOfTaskSlots: 2, memory: {process: {size: 1536m}}}
rest: {address: localhost, bind-address: localhost, port: $REST_PORT}
parallelism: {default: 2}
io: {tmp: {dirs: $WORK/tmp}}
# checkpoints and savepoints on a file system path; a cancelled job's last checkpoint is kept, so it can be resumed with -s
execution: {checkpointing: {dir: 'file://$WORK/checkpoints', savepoint-dir: 'file://$WORK/savepoints', num-retained: 3,
  externalized-checkpoint-retention: RETAIN_ON_CANCELLATION}}
# a killed TaskManager is noticed in seconds, not after the default 50 s heartbeat timeout
heartbeat: {interval: 2000, timeout: 10000}
# what a Prometheus server scrapes: the JobManager on 9249, each TaskManager on the next free port of the range
metrics: {reporter: {prom: {factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory, port: 9249-9259}}}
CONF
  cat > "$CONF_DIR/log4j.properties" <<'CONF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d %-5p %c{1} - %m%n
logger.collision.name = org.apache.flink.metrics.MetricGroup
logger.collision.level = ERROR
CONF
}

# the module opens Flink's config.yaml gives every JVM (env.java.opts.all), and the Vector API module
# for Winnow's vector kernels (a cluster's config.yaml: env.java.opts.all: --add-modules jdk.incubator.vector)
OPENS="--add-modules=jdk.incubator.vector --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
for p in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time java.util java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
  OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
jvm() { local name=$1; shift; java $OPENS -Dlog.file="$LOGS/$name.log" -Dlog4j.configurationFile="$CONF_DIR/log4j.properties" -cp "$LIB" "$@"; }

# ---- PID files: a PID counts as ours only while its command line still names our conf dir ----
ours() { # <name> → prints the pid when that JVM of ours is alive
  local f="$PIDS/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$CONF_DIR"; then
    echo "$pid"
  else
    rm -f "$f"   # the JVM is gone (or its PID reused by another process): the file is stale
    return 1
  fi
}
names() { echo jobmanager; for i in $(seq 1 $TASKMANAGERS); do echo "taskmanager-$i"; done; }
our_pids() { local n; for n in $(names); do ours "$n" || true; done; }

# listening ports of this cluster held by processes it did not start: "port pid command" per line
foreign_holders() {
  local mine port line pid
  mine=" $(our_pids | tr '\n' ' ') "
  for port in $RPC_PORT $REST_PORT $PROM_PORTS; do
    if command -v ss >/dev/null; then
      line=$(ss -ltnpH "sport = :$port" 2>/dev/null | head -1)
      [ -n "$line" ] || continue
      pid=$(echo "$line" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
      case "$mine" in *" ${pid:-none} "*) continue ;; esac
      echo "$port ${pid:-?} $(tr '\0' ' ' < "/proc/${pid:-0}/cmdline" 2>/dev/null | cut -c1-120)"
    elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      [ "$mine" = "  " ] && echo "$port ? (no ss to name the process)"
    fi
  done
}

# a cluster daemon: the backgrounded subshell execs the JVM, so $! is the JVM's own PID
daemon() {
  local name=$1; shift
  # keep the previous run's log beside the new one (a killed JVM's last lines are what explain it)
  [ -f "$LOGS/$name.log" ] && mv "$LOGS/$name.log" "$LOGS/$name.log.1"
  ( exec java $OPENS -Dlog.file="$LOGS/$name.log" -Dlog4j.configurationFile="$CONF_DIR/log4j.properties" -cp "$LIB" "$@" \
      > "$LOGS/$name.out" 2>&1 < /dev/null ) &
  echo $! > "$PIDS/$name.pid"
  await_exec $! "$CONF_DIR"
}

slots_total() { curl -sf "localhost:$REST_PORT/overview" 2>/dev/null | grep -o '"slots-total":[0-9]*' | cut -d: -f2; }

start() {
  classpath
  local holders i
  holders=$(foreign_holders)
  # a JVM killed a moment ago (the failover test's kill -9) can still show its listening socket, with no
  # process to name: give such sockets a few seconds to close before calling them another cluster's
  for i in 1 2 3 4 5 6 7 8 9 10; do
    [ -n "$holders" ] || break
    sleep 0.5
    holders=$(foreign_holders)
  done
  if [ -n "$holders" ]; then
    echo "cluster.sh: refusing to start: ports of this cluster are held by processes it did not start:" >&2
    echo "$holders" | sed 's/^/  port /' >&2
    die "stop that cluster first (its own way), or free the ports"
  fi
  configure
  if ! ours jobmanager >/dev/null; then
    # TaskManagers of ours without their JobManager belong to a cluster that half died: start afresh
    [ -z "$(our_pids)" ] || stop
    daemon jobmanager -Xmx512m org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$CONF_DIR"
    say "jobmanager started (pid $(cat "$PIDS/jobmanager.pid"))"
    for _ in $(seq 1 60); do curl -sf "localhost:$REST_PORT/overview" >/dev/null 2>&1 && break; ours jobmanager >/dev/null || break; sleep 1; done
  fi
  # the TaskManager's memory and CPU settings, computed as flink's start scripts do
  local params started=() name
  params=$(jvm tm-params org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS --configDir "$CONF_DIR" 2>"$LOGS/tm-params.err" \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')
  for i in $(seq 1 $TASKMANAGERS); do
    name=taskmanager-$i
    ours "$name" >/dev/null && continue
    # a fixed resource id: a restarted TaskManager replaces its dead registration at once instead of
    # waiting for the heartbeat timeout, and the REST API names it as this script does
    # shellcheck disable=SC2046 # the JVM options and dynamic properties are word lists by design
    daemon "$name" $(echo "$params" | sed -n 1p) ${CLUSTER_JAVA_OPTS:-} org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$CONF_DIR" \
      $(echo "$params" | sed -n 2p) -D "taskmanager.resource-id=$name"
    say "$name started (pid $(cat "$PIDS/$name.pid"))"
    started+=("$name")
  done
  # up when every TaskManager started now has registered with the ResourceManager (the slot count alone
  # may still include a killed TaskManager whose heartbeat has not yet timed out)
  local waiting
  for _ in $(seq 1 90); do
    waiting=0
    for name in "${started[@]+"${started[@]}"}"; do
      grep -q "Successful registration at resource manager" "$LOGS/$name.log" 2>/dev/null || waiting=1
    done
    [ "$waiting" = 0 ] && [ -n "$(slots_total)" ] && break
    ours jobmanager >/dev/null || break
    sleep 1
  done
  if [ "$waiting" != 0 ] || [ -z "$(slots_total)" ]; then
    echo "cluster.sh: the cluster did not come up (TaskManagers not registered, or no REST answer); logs in $LOGS" >&2
    stop >&2
    exit 1
  fi
  say "up: $(curl -s "localhost:$REST_PORT/overview")"
}

stop() {
  local name pid left running=()
  for name in $(names | tac); do
    pid=$(ours "$name") || continue
    running+=("$name:$pid")
    kill "$pid" 2>/dev/null || true
  done
  # wait until the JVMs are gone, so that the next start finds the ports free; kill -9 what hangs
  for entry in "${running[@]+"${running[@]}"}"; do
    name=${entry%%:*} pid=${entry##*:}
    await_exit "$pid" "$name"
    rm -f "$PIDS/$name.pid"
    say "$name stopped (pid $pid)"
  done
  # check with ps: no JVM running on this cluster's configuration may be left
  left=$(ps -eo pid=,args= | grep -F -- "--configDir $CONF_DIR" | grep -v grep || true)
  if [ -n "$left" ]; then
    echo "cluster.sh: JVMs of this cluster still running:" >&2
    echo "$left" | cut -c1-160 >&2
    return 1
  fi
  # the JVMs' io.tmp.dirs (blob caches, spilled files): a killed TaskManager never deletes its own
  rm -rf "${WORK:?}/tmp"
  say "stopped; ps shows no JVM of this cluster"
}

status() {
  local name pid running=0
  for name in $(names); do
    if pid=$(ours "$name"); then say "$name running (pid $pid)"; running=$((running + 1)); else say "$name not running"; fi
  done
  if curl -sf "localhost:$REST_PORT/overview" >/dev/null 2>&1; then
    say "overview: $(curl -s "localhost:$REST_PORT/overview")"
    curl -s "localhost:$REST_PORT/jobs/overview" | grep -o '"jid":"[^"]*","name":"[^"]*","start-time":[0-9]*,"end-time":-*[0-9]*,"duration":[0-9]*,"state":"[A-Z]*"' \
      | sed 's/"start-time.*"state"/ state/; s/^/cluster.sh: job /' || true
    local ports=""
    for port in $PROM_PORTS; do curl -sf -m 2 "localhost:$port/metrics" >/dev/null 2>&1 && ports="$ports $port"; done
    say "Prometheus endpoints:${ports:- none}"
  fi
  [ -n "$(foreign_holders)" ] && { say "ports held by processes it did not start:"; foreign_holders | sed 's/^/  port /'; }
  [ "$running" -gt 0 ]
}

# the cluster jar (Flink provided), rebuilt when missing or older than a source or pom it is made of
# (the same path holds run-demo.sh's self-contained build, Flink inside, between its builds: not for a cluster)
build() {
  local inputs=(pom.xml) m
  for m in model-runtime model-registry model-tools flink-operators connectors job-examples; do inputs+=("$m/pom.xml" "$m/src/main"); done
  if [ ! -f "$JAR" ] || [ -n "$(find "${inputs[@]}" -newer "$JAR" -print -quit 2>/dev/null)" ] \
      || unzip -qql "$JAR" org/apache/flink/runtime/minicluster/MiniCluster.class >/dev/null 2>&1; then
    mvn -B -q -ntp -o -pl job-examples -am package -DskipTests
  fi
}

submit() {
  local detached=()
  [ "${1:-}" = "-d" ] && { detached=(-d); shift; }
  [ -n "$(ours jobmanager)" ] || die "no cluster of this script is running: scripts/cluster.sh start"
  classpath
  build
  local job=${1:-security-retention}; [ $# -gt 0 ] && shift
  [ $# -gt 0 ] || [ "$job" != security-retention ] || set -- --out "reports/cluster/$job"
  FLINK_CONF_DIR="$CONF_DIR" jvm client org.apache.flink.client.cli.CliFrontend run "${detached[@]+"${detached[@]}"}" "$JAR" "$job" "$@"
}

cmd=${1:-}; [ $# -gt 0 ] && shift
case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  submit) submit "$@" ;;
  build) build; classpath ;;
  run)
    [ -z "$(our_pids)" ] || die "a cluster of this script is running; use submit, or stop it first"
    start
    trap stop EXIT
    submit "$@"
    ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
