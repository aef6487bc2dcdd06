#!/usr/bin/env bash
# Runs the benchmark harness (bench/Campaigns.Benchmarks) in Release: it starts its own graph on
# throwaway data, measures every scenario beside its floor, prints a Markdown table and writes
# bench/results/latest.json. `--quick` takes about a minute; the full run several. Options: --help.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/install-prerequisites.sh
exec dotnet run -c Release --project bench/Campaigns.Benchmarks -- "$@"
