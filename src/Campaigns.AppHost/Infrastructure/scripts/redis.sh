#!/usr/bin/env bash
# Runs redis-server in the foreground for the AppHost when no container runtime is available: the single
# Redis, or one node of the local Redis Cluster (REDIS_CLUSTER_PORT set; scripts/redis-cluster.sh joins them).
set -euo pipefail
: "${REDIS_PORT:?}" "${REDIS_PASSWORD:?}"

server=$(command -v redis-server || true)
if [ -z "$server" ]; then
  echo "redis-server not found: apt-get install -y redis-server" >&2
  exit 1
fi

args=(--port "$REDIS_PORT" --bind "127.0.0.1 -::1" --protected-mode yes --daemonize no --save "")
config="requirepass $REDIS_PASSWORD"
if [ -n "${REDIS_CLUSTER_PORT:-}" ]; then
  # A cluster node: its bus on a port of its own, its nodes.conf in its own folder (kept while the AppHost runs,
  # so a node restarted from the dashboard rejoins), a replica authenticating to its master with the same password.
  : "${REDIS_NODE_DIR:?}"
  mkdir -p "$REDIS_NODE_DIR"
  args+=(--dir "$REDIS_NODE_DIR" --cluster-enabled yes --cluster-port "$REDIS_CLUSTER_PORT"
    --cluster-config-file nodes.conf --cluster-node-timeout "${REDIS_CLUSTER_NODE_TIMEOUT:-5000}" --appendonly no)
  config+=$'\n'"masterauth $REDIS_PASSWORD"
elif [ -n "${REDIS_DATA:-}" ]; then
  mkdir -p "$REDIS_DATA"
  args+=(--dir "$REDIS_DATA" --appendonly yes)
else
  args+=(--appendonly no)
fi
# The password goes in through stdin so it never shows in ps.
exec "$server" - "${args[@]}" <<< "$config"
