# Sourced by the scripts that run daemons of their own (cluster.sh, kafka.sh), after they define say():
#   await_exit <pid> <name>
# waits up to 30 s for a process already sent SIGTERM to end, kills it with SIGKILL (saying so) if it has
# not, then waits up to 5 s more, so that the next start finds its ports free.
await_exit() {
  local pid=$1 name=$2
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; say "$name (pid $pid) killed after 30 s"; fi
  for _ in $(seq 1 10); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
}
