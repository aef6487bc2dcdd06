#!/usr/bin/env bash
# Joins the local Redis Cluster's nodes (scripts/redis.sh, each already running) into one cluster, then stays
# up as the `redis` resource: masters first in REDIS_CLUSTER_NODES, each with REDIS_CLUSTER_REPLICAS replicas.
set -euo pipefail
: "${REDIS_PASSWORD:?}" "${REDIS_CLUSTER_NODES:?}" "${REDIS_CLUSTER_REPLICAS:?}"
export REDISCLI_AUTH="$REDIS_PASSWORD" # never on the command line, so never in ps

read -r -a nodes <<< "$REDIS_CLUSTER_NODES"
nodes=("${nodes[@]/#localhost:/127.0.0.1:}") # CLUSTER MEET takes addresses, not names
answers() { redis-cli -h "${1%:*}" -p "${1##*:}" "${@:2}" 2>/dev/null; }

for node in "${nodes[@]}"; do
  for _ in $(seq 1 300); do
    [ "$(answers "$node" ping)" = "PONG" ] && break
    sleep 0.1
  done
  [ "$(answers "$node" ping)" = "PONG" ] || { echo "node $node does not answer" >&2; exit 1; }
done

# A node that already knows its peers (the AppHost kept running, this resource restarted) is not created again.
if [ "$(answers "${nodes[0]}" cluster info | tr -d '\r' | grep -c '^cluster_known_nodes:1$')" = "1" ]; then
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas "$REDIS_CLUSTER_REPLICAS" --cluster-yes
fi
echo "cluster of ${#nodes[@]} nodes created; the AppHost's health check waits for cluster_state:ok"
exec sleep infinity
