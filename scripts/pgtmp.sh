#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then remove it --
# also when the command fails or is interrupted.  The system's own clusters
# are never touched: the cluster lives in a fresh temporary directory, listens
# only on a Unix socket there, and runs as the `postgres` OS user when we are
# root (initdb refuses root).
#
#   scripts/pgtmp.sh COMMAND [ARGS...]
#
# COMMAND runs with PGHOST, PGPORT, PGUSER=postgres and PGDATABASE=postgres
# set, plus CREDIT_PGDATA (the data directory) and CREDIT_PGCTL (a pg_ctl
# wrapper usable by fault tests).  Extra server settings can be passed in
# CREDIT_PG_OPTS (e.g. "-c shared_buffers=1GB").
set -euo pipefail

. "$(dirname "$0")/cluster-lib.sh"
cluster_new credit-pg

cleanup() {
    status=$?
    if [ -f "$data/postmaster.pid" ]; then
        "${as_pg[@]}" "$BINDIR/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ $status -ne 0 ] && [ -f "$log" ]; then
        echo "--- last lines of the throwaway server's log ---" >&2
        tail -n 20 "$log" >&2 || true
    fi
    rm -rf "$tmp"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cluster_initdb <<CONF
shared_buffers = 512MB
max_wal_size = 4GB
max_parallel_workers_per_gather = 2
CONF

"${as_pg[@]}" "$BINDIR/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    ${CREDIT_PG_OPTS:+-o "$CREDIT_PG_OPTS"} start >/dev/null

# the selected server's own client programs first (psql, pg_dump, pg_restore)
export PATH="$BINDIR:$PATH"
export PGHOST="$tmp" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
export CREDIT_PGDATA="$data" CREDIT_PGLOG="$log" CREDIT_PGBIN="$BINDIR"
export CREDIT_AS_PG="${as_pg[*]}"
"$@"
