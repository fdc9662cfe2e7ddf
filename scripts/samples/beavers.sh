#!/usr/bin/env bash
# Regenerates job-examples' sensor sample from R's datasets package (Debian r-base-core): body
# temperature of two beavers every 10 minutes with an activity label (Reynolds 1994, in R as
# beaver1/beaver2). Output columns: sensorId,timestampMillis,temperatureC,active.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v Rscript >/dev/null || scripts/install-deps.sh r-base-core
out=job-examples/samples/sensors/beavers.csv
mkdir -p "$(dirname "$out")"
Rscript --vanilla -e '
  emit <- function(b, id) {
    # day of year (1990) and hhmm clock time to epoch milliseconds
    t <- as.numeric(as.POSIXct("1990-01-01", tz = "UTC")) + (b$day - 1) * 86400 + (b$time %/% 100) * 3600 + (b$time %% 100) * 60
    data.frame(sensorId = id, timestampMillis = sprintf("%.0f", t * 1000), temperatureC = sprintf("%.2f", b$temp), active = b$activ)
  }
  d <- rbind(emit(datasets::beaver1, "beaver-1"), emit(datasets::beaver2, "beaver-2"))
  cat("# R datasets beaver1/beaver2 (Reynolds 1994): body temperature every 10 min, 1 = active outside the retreat\n# sensorId,timestampMillis,temperatureC,active\n")
  utils::write.table(d, stdout(), sep = ",", quote = FALSE, row.names = FALSE, col.names = FALSE)
' > "$out"
echo "wrote $(grep -vc "^#" "$out") readings to $out"
