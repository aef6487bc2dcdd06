#!/usr/bin/env bash
# Runs redis-server in the foreground for the AppHost when no container runtime is available.
set -euo pipefail
: "${REDIS_PORT:?}" "${REDIS_PASSWORD:?}"

server=$(command -v redis-server || true)
if [ -z "$server" ]; then
  echo "redis-server not found: apt-get install -y redis-server" >&2
  exit 1
fi

args=(--port "$REDIS_PORT" --bind "127.0.0.1 -::1" --protected-mode yes --daemonize no --save "")
if [ -n "${REDIS_DATA:-}" ]; then
  mkdir -p "$REDIS_DATA"
  args+=(--dir "$REDIS_DATA" --appendonly yes)
else
  args+=(--appendonly no)
fi
# The password goes in through stdin so it never shows in ps.
exec "$server" - "${args[@]}" <<< "requirepass $REDIS_PASSWORD"
