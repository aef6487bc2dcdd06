#!/usr/bin/env bash
# Runs the whole Campaigns system (Postgres, Redis, API, worker) with the Aspire dashboard.
# The dashboard's login URL is printed below; Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/install-prerequisites.sh
exec dotnet run --project src/Campaigns.AppHost --launch-profile http "$@"
