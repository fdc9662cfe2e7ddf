# Sourced first by the scripts that run daemons of their own (cluster.sh, kafka.sh), as
#   source "$(dirname "$0")/lib/daemons.sh"
# it sets the strict mode, moves to the repository root (ROOT) and brings in maven_classpath (the daemons
# are JVMs from Maven Central jars). The functions below use the script's say():
#   await_exec <pid> <text>
# waits up to 10 s for a subshell just put in the background to exec its JVM, whose command line names
# <text>: the scripts tell their own JVMs by it, and until the exec it is still the shell's, so a check
# in between took a starting daemon for a stale PID file. Returns at once if the process has ended.
#   await_exit <pid> <name>
# waits up to 30 s for a process already sent SIGTERM to end, kills it with SIGKILL (saying so) if it has
# not, then waits up to 5 s more, so that the next start finds its ports free.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/maven-classpath.sh

await_exit() {
  local pid=$1 name=$2
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; say "$name (pid $pid) killed after 30 s"; fi
  for _ in $(seq 1 10); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
}

await_exec() {
  local pid=$1 text=$2
  for _ in $(seq 1 100); do
    [ -r "/proc/$pid/cmdline" ] || return 0
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$text" && return 0
    sleep 0.1
  done
}
