#!/usr/bin/env bash
# Runs the README's "Your first hour" block exactly as written (between the first-hour markers), from a
# clean first-hour/, and fails unless every command succeeds and the job prints the swap line to the
# adapted, signed version. Needs what scripts/test.sh installs (the teacher model, opencv-doc).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf first-hour
block=$(mktemp)
log=$(mktemp)
trap 'rm -f "$block" "$log"' EXIT
{
  echo 'set -euo pipefail'
  echo 'shopt -s expand_aliases'   # the block defines winnow as an alias, as a reader's shell would
  sed -n '/<!-- first-hour:begin -->/,/<!-- first-hour:end -->/p' README.md | sed '/^<!--/d;/^```/d'
} > "$block"
[ "$(grep -c . "$block")" -gt 5 ] || { echo "first-hour: no block between the README's first-hour markers"; exit 1; }
# the README's first set-up command, which the block follows (it also builds the demo jar the job runs)
scripts/run-demo.sh > /dev/null
echo "first-hour: running the README block ($(grep -vc '^\s*#' "$block") lines)"
start=$(date +%s)
# line-buffered so the swap line shows as it happens; the log is what the check reads
bash "$block" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || { echo "first-hour: a command of the block failed (exit $status)"; exit 1; }
if ! grep -qE '^camera plaza: person-detector[^ ]* v1 → .*v2 at ' "$log"; then
  echo "first-hour: the job printed no swap line 'camera plaza: … v1 → … v2 at …'"
  exit 1
fi
echo "first-hour: ok in $(( $(date +%s) - start )) s: trained, signed, published, promoted; swap seen:"
grep -E '→ .*v2 at ' "$log"
