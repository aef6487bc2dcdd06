#!/usr/bin/env bash
# Refreshes docs/openapi.json, the committed snapshot of the API's OpenAPI document. Builds the API,
# starts it alone for a moment (describing itself needs no database or Redis: the settings below are
# placeholders it never reaches), and saves /openapi/v1.json as served, minus `servers` (it names this
# run's port). The drift test (tests/Campaigns.Tests/ApiBehaviour/OpenApiSnapshotTests.cs) fails until
# the snapshot matches what the API serves; the generated client (tests/Campaigns.ApiClient) is built from it.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build src/Campaigns.Api -nologo -v q
api_dll=$(dotnet msbuild src/Campaigns.Api -getProperty:TargetPath)

log=$(mktemp)
served=$(mktemp)
api=""
cleanup() {
  if [ -n "$api" ]; then
    kill "$api" 2> /dev/null || true
    wait "$api" 2> /dev/null || true
  fi
  rm -f "$log" "$served"
}
trap cleanup EXIT

# Port 0: the kernel picks a free port and the API logs which. The key is a digest that matches
# nothing (the API refuses to start without one); the document itself is public.
env ConnectionStrings__campaignsdb="Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x" \
  ConnectionStrings__redis="127.0.0.1:1,abortConnect=false" \
  Auth__ApiKeys__0="sha256:$(printf '0%.0s' {1..64})" \
  ASPNETCORE_URLS=http://127.0.0.1:0 \
  Logging__LogLevel__Microsoft.Hosting.Lifetime=Information \
  dotnet "$api_dll" > "$log" 2>&1 &
api=$!

url=""
for _ in $(seq 1 300); do
  url=$(sed -n 's|.*Now listening on: \(http://[0-9.:]*\).*|\1|p' "$log" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$api" 2> /dev/null; then
    cat "$log" >&2
    echo "The API exited before it listened." >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  cat "$log" >&2
  echo "The API did not listen within 30 seconds." >&2
  exit 1
fi

curl -sSf --retry 5 --retry-connrefused --retry-delay 1 -o "$served" "$url/openapi/v1.json"

# The document is served indented (two spaces a level), so `servers` is the top-level member from its
# opening line to the first line at its own level.
sed '/^  "servers": \[$/,/^  \],\{0,1\}$/d' "$served" > docs/openapi.json
[ -z "$(tail -c 1 docs/openapi.json)" ] || echo >> docs/openapi.json
if grep -q '^  "servers"' docs/openapi.json; then
  echo "Could not remove \`servers\` from the document; its layout changed." >&2
  exit 1
fi
echo "docs/openapi.json: $(wc -c < docs/openapi.json) bytes from $url/openapi/v1.json"
