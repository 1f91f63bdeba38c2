#!/usr/bin/env bash
# Throughput per feature against its anchor (issue 18; docs/BENCHMARKS.md,
# "Throughput per feature against its anchor"): one bar per feature, the
# ratio of edgehub's figure to that of the tool a user would pick instead
# (Mosquitto, socat, nginx, aria2...), drawn with gnuplot. It measures
# nothing: the figures are copied by hand into FEATURES_TSV from the runs
# the other sections of docs/BENCHMARKS.md record, each pair from one run,
# so that the plot shows only what was measured side by side. `make bench`
# runs it so that the plot is still drawn when the format changes.
#
#   bash bench/features_plot.sh [FEATURES_TSV]   (default: docs/bench/features.tsv)
#
# Environment: RESULTS (directory for features.dat and features.svg; default
# a new /tmp/edgehub-features.XXXXXX), UPDATE_DOCS=1 (also copies the plot
# to docs/bench/features.svg). Needs python3; installs gnuplot-nox if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

tsv=${1:-docs/bench/features.tsv}
results=${RESULTS:-$(mktemp -d /tmp/edgehub-features.XXXXXX)}
command -v gnuplot >/dev/null || bash scripts/install-deps.sh gnuplot-nox  # as the other plots do
mkdir -p "$results"

python3 bench/features_plot_report.py "$tsv" "$results/features.dat"
gnuplot -e "data='$results/features.dat'; out='$results/features.svg'" bench/features.gp
echo "plot: $results/features.svg"
if [ "${UPDATE_DOCS:-0}" = 1 ]; then
  cp "$results/features.svg" docs/bench/features.svg
  echo "docs/bench/features.svg updated"
fi
