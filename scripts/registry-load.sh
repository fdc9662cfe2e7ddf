#!/usr/bin/env bash
# A bounded load test of the registry server on 127.0.0.1: starts `winnow registry serve` (the real
# CLI) with a 256 MB heap on a fresh directory, runs model-registry's RegistryLoad driver against it
# for T seconds, stops the server, and prints the driver's figures and the server's peak heap (the
# largest heap in use before any GC, from the server's GC log, or at the end if larger).
#   scripts/registry-load.sh [N followers] [M publishers] [K idle] [U uploaders] [upload MiB] [T seconds]
# Defaults: 200 8 50 20 64 60. A quick run: scripts/registry-load.sh 20 2 10 2 8 10
# SERVE_OPTS adds options to serve, e.g. SERVE_OPTS="--max-uploads 4" to see uploads refused with 503.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200} M=${2:-8} K=${3:-50} U=${4:-20} MIB=${5:-64} T=${6:-60}
. scripts/lib/test-classpath.sh
module_test_classpath model-registry

work=$(mktemp -d "${TMPDIR:-/tmp}/registry-load.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/tmp"
token=load-token-0123456789abcdef
# the load driver publishes unsigned artifacts (it measures the server, not signing): say so explicitly
java -Xmx256m -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$work/gc.log" -Djava.io.tmpdir="$work/tmp" -cp "$CP" dev.winnow.registry.cli.RegistryCommand \
  serve --dir "$work/registry" --host 127.0.0.1 --port 0 --token "$token" --allow-unsigned ${SERVE_OPTS:-} >"$work/server.out" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 200); do
  port=$(sed -n 's|.*on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/server.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.out" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start" >&2; cat "$work/server.out" >&2; exit 1; }

java -Xmx1g -cp "$CP" dev.winnow.registry.RegistryLoad "$port" "$token" "$N" "$M" "$K" "$U" "$MIB" "$T"

# heap in use now, then stop the server
end_kb=$(jstat -gc "$server_pid" | awk 'NR==2 { print int($3 + $4 + $6 + $8) }')
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
gc_peak=$(grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$work/gc.log" | sed 's/M->.*//' | sort -n | tail -1)
gc_live=$(grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$work/gc.log" | sed 's/.*->//; s/M(.*//' | sort -n | tail -1)
gcs=$(grep -c 'Pause' "$work/gc.log" || true)
max_pause=$(grep -o '[0-9.]*ms$' "$work/gc.log" | sort -n | tail -1)
peak=$(( ${gc_peak:-0} > end_kb / 1024 ? ${gc_peak:-0} : end_kb / 1024 ))
# in use before a GC is what the heap reached (the collector lets it fill); live after a GC is what the server kept
echo "server peak heap   ${peak} MB in use of 256 MB max; ${gc_live:-0} MB live after GC at most (${gcs} GC pauses, longest ${max_pause:-0})"
if grep -q 'OutOfMemoryError' "$work/server.out"; then echo "server OutOfMemoryError: yes"; else echo "server OutOfMemoryError: no"; fi
