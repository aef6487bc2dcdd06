#!/usr/bin/env bash
# Builds and runs the whole test suite: unit tests, and integration tests against one real graph.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/install-prerequisites.sh
dotnet test tests/Campaigns.Tests --logger "console;verbosity=normal" "$@"
