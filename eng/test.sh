#!/usr/bin/env bash
# Builds and runs the whole test suite: unit tests, and integration tests against one real graph.
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium: the console's browser tests drive Debian's Chromium (tests/Campaigns.Tests/Browser).
eng/install-prerequisites.sh chromium
dotnet test tests/Campaigns.Tests --logger "console;verbosity=normal" "$@"
