#!/usr/bin/env bash
# Builds and runs the whole test suite: unit tests, and integration tests against one real graph.
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium: the console's browser tests drive Debian's Chromium (tests/Campaigns.Tests/Browser).
eng/install-prerequisites.sh chromium
# Kiota (.config/dotnet-tools.json) generates tests/Campaigns.ApiClient from docs/openapi.json. The build
# restores it too; doing it first makes a registry failure read as one, not as a build error.
dotnet tool restore

log="$(mktemp -t campaigns-tests.XXXXXX.log)"
status=0
dotnet test tests/Campaigns.Tests --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?

# A failure is printed where it happened, often thousands of lines up; repeat each one, name and message,
# last, where a reader of only the end of the output (a CI page) sees it.
if [ "$status" -ne 0 ]; then
  echo
  echo "=== failed tests (full output: $log) ==="
  awk '/^  Failed [A-Za-z]/ { show = 1; lines = 0 }
       /^  (Stack Trace|Standard Output Messages):/ { show = 0 }
       show && lines < 15 { print; lines++ }' "$log"
fi
exit "$status"
