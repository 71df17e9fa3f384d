#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and CI: `start DIR` makes a cluster in DIR
# (installing Debian's postgresql first when it is missing), listening only on a unix
# socket in DIR (no TCP port), and prints its URL on stdout (`postgres://...`);
# `stop DIR` stops it and removes DIR. PostgreSQL refuses to run as root, so under root
# the cluster runs as the Debian `postgres` user (created by the package).
#
#   url=$(bash scripts/pg-cluster.sh start /tmp/tally-pg)
#   TALLY_TEST_PG=$url cargo test -p tally-store --test it conformance
#   bash scripts/pg-cluster.sh stop /tmp/tally-pg
set -euo pipefail

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$found" ]]; then
    echo "pg-cluster: installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
    found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$found"
}

# Runs a command as the cluster's owner: `postgres` under root, else the caller.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

usage() {
  echo "usage: pg-cluster.sh start|stop DIR" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
command=$1
dir=$2

case "$command" in
  start)
    bin=$(pg_bin)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then
      id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
      chown postgres "$dir"
    fi
    chmod 700 "$dir"
    # The superuser is `tally`; local connections are trusted (the socket is private to
    # DIR, which only the owner and root can enter).
    as_owner "$bin/initdb" -D "$dir/data" -U tally --auth=trust --encoding=UTF8 \
      --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 3; }
    # fsync off: a throwaway cluster trades durability against a power cut for speed.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c max_connections=100" \
      start || { cat "$dir/server.log" >&2; exit 3; }
    # amcheck in the template, so every database made here (the tests make one each)
    # can have its indexes checked by `tally verify`.
    as_owner "$bin/psql" -h "$dir" -U tally -d template1 -q -v ON_ERROR_STOP=1 \
      -c "CREATE EXTENSION IF NOT EXISTS amcheck" >/dev/null
    as_owner "$bin/psql" -h "$dir" -U tally -d postgres -q -v ON_ERROR_STOP=1 \
      -c "CREATE DATABASE tally" >/dev/null
    # The socket directory goes in the query, percent-encoded as a URL wants it.
    encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$dir")
    echo "postgres://tally@localhost/tally?host=$encoded"
    ;;
  stop)
    [[ -d "$dir/data" ]] || exit 0
    bin=$(pg_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -s stop || true
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
