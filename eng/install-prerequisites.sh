#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to run the Campaigns graph without containers:
# redis-server (and the PostgreSQL server binaries, where missing). Idempotent and quiet when done.
# Optional extras by name: `chromium` (Debian's browser, for the console's browser tests; honours CHROMIUM_PATH).
set -euo pipefail

missing=()
command -v redis-server > /dev/null || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/postgres" > /dev/null || missing+=(postgresql)
for package in "$@"; do
  case "$package" in
    chromium) [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium) ;;
  esac
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
  # Debian starts the packaged redis service where an init system runs; the AppHost runs its own.
  if command -v service > /dev/null && service redis-server status > /dev/null 2>&1; then
    "${sudo[@]}" service redis-server stop > /dev/null 2>&1 || true
  fi
fi
