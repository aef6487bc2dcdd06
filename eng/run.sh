#!/usr/bin/env bash
# Runs the whole Campaigns system (Postgres, Redis, API, worker) with the Aspire dashboard.
# The dashboard's login URL is printed below; Ctrl+C (or SIGTERM) stops everything, servers included.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/install-prerequisites.sh
dotnet run --project src/Campaigns.AppHost --launch-profile http "$@" &
apphost=$!
# `dotnet run` stops the AppHost, and with it every resource, on SIGTERM; a SIGINT sent to it alone
# (not through the terminal) would be ignored, so both become SIGTERM here.
trap 'kill -TERM "$apphost" 2>/dev/null || true' INT TERM
while kill -0 "$apphost" 2>/dev/null; do
  wait "$apphost" || true
done
