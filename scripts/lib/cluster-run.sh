# Sourced by the scripts that run jobs on their own cluster and broker (cluster-failover.sh,
# cluster-edge-central.sh), after they define die():
#   time_limit <seconds>   die after that long, whatever the script is waiting on; sets $watchdog, the
#                          sleeper's PID, for the script's exit trap to kill
#   build_cluster_jar <dir>  build the cluster jar if stale (scripts/cluster.sh build), its log in <dir>
time_limit() {
  # shellcheck disable=SC2064 # the limit is fixed now, when the trap is set
  trap "die \"over the $1 s limit\"" USR1
  ( sleep "$1"; kill -USR1 $$ ) &
  watchdog=$!
}

build_cluster_jar() {
  scripts/cluster.sh build > "$1/build.log" 2>&1 || die "the cluster jar did not build: $(tail -5 "$1/build.log")"
}
