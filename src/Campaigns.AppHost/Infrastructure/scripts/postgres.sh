#!/usr/bin/env bash
# Runs PostgreSQL in the foreground for the AppHost when no container runtime is available:
# initdb (and the databases) on first use of the data folder, then the server. Whatever stops it
# from starting ends this script with the server's exit code (or 1) and the reason on stderr: it
# never waits on a server that is gone.
#
# With POSTGRES_PRIMARY_PORT, a streaming standby of the server on that port (Infrastructure:PostgresReplica)
# instead: its data folder is a base backup of the primary (pg_basebackup -R, through the replication slot
# POSTGRES_STANDBY_SLOT, so the primary keeps the WAL the standby has not replayed), then a read-only hot standby.
set -euo pipefail
: "${PGDATA:?}" "${PGPORT:?}" "${POSTGRES_PASSWORD:?}"

bin="${POSTGRES_BIN:-}"
if [ -z "$bin" ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ ! -x "$bin/postgres" ]; then
  echo "PostgreSQL server binaries not found; install postgresql or set POSTGRES_BIN" >&2
  exit 1
fi

as_owner=()
if [ "$(id -u)" = 0 ]; then
  # Postgres refuses to run as root: drop to the postgres user, whose data folder must be within its
  # reach (postgres-data.sh); --pdeathsig stops the server (fast shutdown) if this script is killed.
  PGDATA=$(bash "$(dirname "$0")/postgres-data.sh" "$PGDATA")
  as_owner=(setpriv --reuid postgres --regid postgres --init-groups --pdeathsig INT)
else
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
fi

if [ -n "${POSTGRES_PRIMARY_PORT:-}" ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  slot=${POSTGRES_STANDBY_SLOT:?}
  # The client tools read the password from the environment (setpriv keeps it); -R writes it into
  # postgresql.auto.conf (mode 0600, the postgres user's) with the rest of primary_conninfo.
  export PGPASSWORD="$POSTGRES_PASSWORD"
  primary=(-h localhost -p "$POSTGRES_PRIMARY_PORT" -U postgres)
  # A slot left by an earlier standby (data kept across AppHost runs) would hold WAL for nobody.
  "${as_owner[@]}" "$bin/psql" "${primary[@]}" -d postgres -v ON_ERROR_STOP=1 -qAt -c \
    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" > /dev/null
  "${as_owner[@]}" "$bin/pg_basebackup" "${primary[@]}" -D "$PGDATA" -R -X stream -C -S "$slot" --checkpoint=fast --no-password
  unset PGPASSWORD
elif [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  # Gone however initdb ends, the password with it.
  trap 'rm -f "$pwfile"' EXIT
  printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
  "${as_owner[@]}" "$bin/initdb" -D "$PGDATA" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
    -E UTF8 --locale=C.UTF-8 > /dev/null
  rm -f "$pwfile"
  for db in ${POSTGRES_DATABASES:-}; do
    echo "CREATE DATABASE \"$db\";" | "${as_owner[@]}" "$bin/postgres" --single -D "$PGDATA" postgres > /dev/null
  done
fi

# A standby needs max_connections (and the other limits) at least as high as its primary's.
settings=(-c listen_addresses=localhost -c unix_socket_directories= -c max_connections=300
  -c "shared_buffers=${POSTGRES_SHARED_BUFFERS:-512MB}" -c work_mem=16MB -c maintenance_work_mem=256MB -c max_wal_size=4GB
  -c checkpoint_timeout=15min -c wal_compression=on)
if [ -f "$bin/../lib/pg_stat_statements.so" ]; then
  # Per-statement timings for operators and the benchmark (CREATE EXTENSION pg_stat_statements to read them).
  settings+=(-c shared_preload_libraries=pg_stat_statements)
fi
if [ -n "${POSTGRES_PRIMARY_PORT:-}" ]; then
  # Vacuum on the primary keeps rows a list query on the standby still reads, rather than cancelling it.
  settings+=(-c hot_standby=on -c hot_standby_feedback=on)
fi
if [ "${POSTGRES_EPHEMERAL:-false}" = true ]; then
  # Throwaway data (tests): no fsync, as only an OS crash would need it. Commits stay synchronous:
  # a crashed backend makes postgres drop unwritten WAL buffers, and drills crash it on purpose.
  settings+=(-c fsync=off -c full_page_writes=off)
fi

"${as_owner[@]}" "$bin/postgres" -D "$PGDATA" -p "$PGPORT" "${settings[@]}" &
server=$!
# DCP stops processes with SIGTERM, which postgres treats as a "smart" shutdown that waits for every
# client to leave; SIGINT is its fast shutdown.
trap 'kill -INT "$server" 2>/dev/null || true' TERM INT
while kill -0 "$server" 2>/dev/null; do
  wait "$server" || true
done
# The server's own exit code: 0 after a shutdown, not 0 when it could not start (a port in use, say).
wait "$server"
