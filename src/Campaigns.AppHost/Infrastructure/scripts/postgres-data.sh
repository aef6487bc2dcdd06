#!/usr/bin/env bash
# Prints the folder a server run as the `postgres` user (the AppHost runs as root) keeps its data in,
# created, owned by postgres and mode 0700. Usage: postgres-data.sh <data directory>/postgres
#
# That is the folder given, wherever postgres can reach it. A clone in a private folder (root's clones
# live under /root, mode 0700) is out of its reach, and that folder must stay private: the data then
# lives in /var/lib/campaigns/<hash of the folder's path>/postgres and the folder given becomes a link
# there. The same clone finds the same data after a restart, and since the link belongs to the data
# directory, deleting that directory still starts afresh: data whose link is gone is removed.
set -euo pipefail
folder=${1:?usage: postgres-data.sh <data directory>/postgres}
system_root=/var/lib/campaigns

fail() {
  echo "postgres: $*" >&2
  exit 1
}

reachable() {
  setpriv --reuid postgres --regid postgres --init-groups test -x "$1" 2> /dev/null
}

own() {
  mkdir -p "$1"
  chown postgres:postgres "$1"
  chmod 700 "$1"
  echo "$1"
}

if [ -L "$folder" ]; then
  own "$(readlink "$folder")"
  exit 0
fi

mkdir -p "$(dirname "$folder")"
if reachable "$(dirname "$folder")"; then
  own "$folder"
  exit 0
fi

if [ -d "$folder" ]; then
  # A folder made here by an older AppHost holds a server's data only if initdb ever got in.
  if [ -e "$folder/PG_VERSION" ]; then
    fail "the postgres user cannot reach its data in $folder (a folder above it is private):" \
      "make that folder reachable, or move $folder into $system_root/ and link it back (ln -s), or delete it to start afresh"
  fi
  rmdir "$folder" 2> /dev/null || fail "the postgres user cannot reach $folder (a folder above it is private), and it is not empty"
fi

base="$system_root/$(printf '%s' "$folder" | sha256sum | cut -c1-16)"
# No link means no data directory owns what is there: a deleted one left it behind.
rm -rf "$base"
mkdir -p "$base"
# Postgres passes through; nobody else lists or reads it.
chmod 711 "$system_root" "$base"
printf '%s\n' "$folder" > "$base/linked-from"
chmod 600 "$base/linked-from"
own "$base/postgres"
ln -s "$base/postgres" "$folder"
