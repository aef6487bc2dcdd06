#!/usr/bin/env bash
# Builds and runs the whole test suite: unit tests, and integration tests against one real graph.
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium: the console's browser tests drive Debian's Chromium (tests/Campaigns.Tests/Browser).
eng/install-prerequisites.sh chromium
# Kiota (.config/dotnet-tools.json) generates tests/Campaigns.ApiClient from docs/openapi.json. The build
# restores it too; doing it first makes a registry failure read as one, not as a build error.
dotnet tool restore
dotnet test tests/Campaigns.Tests --logger "console;verbosity=normal" "$@"
