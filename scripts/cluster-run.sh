#!/usr/bin/env bash
# Runs an example job the way `flink run` does on a real cluster, without a Flink download: starts a
# standalone session cluster (a JobManager and a TaskManager, separate JVMs, Flink's own entry points
# from Maven Central jars), submits job-examples' cluster jar (Flink 'provided') through Flink's
# CliFrontend, and stops the cluster. Usage: scripts/cluster-run.sh [job] [job options]
# (default: security-retention --out reports/cluster/security-retention).
set -euo pipefail
cd "$(dirname "$0")/.."
FLINK_VERSION=2.2.0
WORK=job-examples/target/cluster
mkdir -p "$WORK/conf" "$WORK/log"
mvn -B -q -ntp -pl job-examples -am package -DskipTests
JAR=job-examples/target/job-examples-0.1.0-SNAPSHOT-all.jar

# what a Flink distribution's lib/ holds: runtime, clients, file connectors, table API, log4j; and the
# Prometheus reporter, which a distribution ships in plugins/metrics-prometheus
cat > "$WORK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>dev.winnow.cluster</groupId><artifactId>flink-lib</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
$(for a in flink-clients flink-streaming-java flink-runtime flink-connector-files flink-connector-base flink-table-api-java flink-metrics-prometheus; do
  echo "    <dependency><groupId>org.apache.flink</groupId><artifactId>$a</artifactId><version>$FLINK_VERSION</version></dependency>"; done)
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
POM
mvn -B -q -ntp -f "$WORK/pom.xml" dependency:build-classpath -Dmdep.outputFile=lib.txt >/dev/null
LIB=$(cat "$WORK/lib.txt")

cat > "$WORK/conf/config.yaml" <<'CONF'
jobmanager: {rpc: {address: localhost, port: 16123}, bind-host: localhost, memory: {process: {size: 1024m}}}
taskmanager: {host: localhost, bind-host: localhost, numberOfTaskSlots: 2, memory: {process: {size: 1536m}}}
rest: {address: localhost, bind-address: localhost, port: 18081}
parallelism: {default: 2}
# what a Prometheus server scrapes: the JobManager on 9249, the TaskManager on the next free port of the range
metrics: {reporter: {prom: {factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory, port: 9249-9259}}}
CONF
cat > "$WORK/conf/log4j.properties" <<'CONF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d %-5p %c{1} - %m%n
CONF
# the module opens Flink's config.yaml gives every JVM (env.java.opts.all), and the Vector API module
# for Winnow's vector kernels (a cluster's config.yaml: env.java.opts.all: --add-modules jdk.incubator.vector)
OPENS="--add-modules=jdk.incubator.vector --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
for p in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time java.util java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
  OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
CONF_DIR=$(cd "$WORK/conf" && pwd)
LOGS=$(cd "$WORK/log" && pwd)
jvm() { local name=$1; shift; java $OPENS -Dlog.file="$LOGS/$name.log" -Dlog4j.configurationFile="$CONF_DIR/log4j.properties" -cp "$LIB" "$@"; }
# a cluster daemon: run with '&', the function's subshell becomes the JVM (exec), so $! is the JVM's pid
daemon() { local name=$1; shift; exec java $OPENS -Dlog.file="$LOGS/$name.log" -Dlog4j.configurationFile="$CONF_DIR/log4j.properties" -cp "$LIB" "$@"; }

# a cluster left from another run would take this run's job: refuse instead of submitting to it
if curl -sf localhost:18081/overview >/dev/null 2>&1; then
  echo "cluster-run: a Flink cluster already answers on localhost:18081; stop it first (its JVMs: pgrep -f 'StandaloneSessionClusterEntrypoint|TaskManagerRunner')" >&2
  exit 1
fi
pids=()
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
  # wait until the JVMs are gone, so that the next run finds the ports free
  for p in "${pids[@]+"${pids[@]}"}"; do
    for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
daemon jobmanager -Xmx512m org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$CONF_DIR" > "$LOGS/jobmanager.out" 2>&1 &
pids+=($!)
# the TaskManager's memory and CPU settings, computed as flink's start scripts do
params=$(jvm tm-params org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS --configDir "$CONF_DIR" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')
daemon taskmanager $(echo "$params" | sed -n 1p) org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$CONF_DIR" $(echo "$params" | sed -n 2p) > "$LOGS/taskmanager.out" 2>&1 &
pids+=($!)
for i in $(seq 1 60); do
  curl -sf localhost:18081/overview | grep -q '"slots-total":2' && break
  sleep 1
done
curl -sf localhost:18081/overview | grep -q '"slots-total":2' || { echo "cluster did not come up; see $LOGS"; exit 1; }
echo "standalone cluster up: $(curl -s localhost:18081/overview)"

job=${1:-security-retention}; [ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- --out "reports/cluster/$job"
FLINK_CONF_DIR="$CONF_DIR" jvm client org.apache.flink.client.cli.CliFrontend run "$JAR" "$job" "$@"
