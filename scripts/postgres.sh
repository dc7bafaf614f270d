#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for tests and benchmarks, and print its
# DATABASE_URL. Usage: eval "$(scripts/postgres.sh start DIR PORT)"; scripts/postgres.sh stop DIR
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a directory for the cluster}
port=${3:-54329}

bindir=""
for candidate in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent)")" /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bindir=$candidate; break; fi
done
if [ -z "$bindir" ]; then
  echo "PostgreSQL server binaries not found (initdb, pg_ctl); install the 'postgresql' package" >&2
  exit 1
fi

# initdb refuses to run as root; run the server as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$dir"
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U civic311 --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export DATABASE_URL=postgres://civic311@127.0.0.1:$port/civic311"
    ;;
  stop)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
