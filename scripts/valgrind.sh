#!/usr/bin/env bash
# Run the pg_regress suite (`make installcheck`) against a throwaway server
# running under valgrind memcheck, then report memory errors in the
# extension's code.
#
#   scripts/valgrind.sh            (make valgrind: build + install first)
#
# The cluster is made like scripts/pgtmp.sh makes it (fresh temporary
# directory, Unix socket only, the `postgres` OS user when we are root) with
# minimal settings to keep valgrind fast, and removed afterwards, also on
# failure.  The postmaster runs under
#   valgrind --tool=memcheck --trace-children=yes --error-limit=no
#            --num-callers=30 --log-file=<dir>/vg.%p.log
# so every backend (a fork) writes its own log.  Afterwards every error
# record whose stack involves the extension (credit.so, or a source file of
# src/ when the library has debug info and valgrind shows file:line) is
# printed, with a count of errors per log and a summary line.
#
# Exit status: non-zero if an error record involves the extension, or if the
# suite failed or could not run.  Errors only inside PostgreSQL itself are
# counted but do not fail the run: Debian's server is built without valgrind
# annotations (USE_VALGRIND), so its memory-context allocator and a few
# syscalls give noise.
#
# Environment: VALGRIND_OPTS (extra valgrind options, e.g.
# --track-origins=yes), VALGRIND_START_TIMEOUT (seconds to wait for the
# server, default 300), VALGRIND_KEEP_LOGS=1 (keep the logs in any case;
# they are always kept when the extension has errors).
set -euo pipefail
cd "$(dirname "$0")/.."
srcdir=$(pwd)

if ! command -v valgrind >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "valgrind: installing valgrind"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends valgrind >/dev/null
    else
        echo "valgrind: valgrind is not installed; install it with: sudo apt-get install valgrind" >&2
        exit 1
    fi
fi

. scripts/cluster-lib.sh
cluster_new credit-vg
vgdir="$tmp/vg"
regress="$tmp/regress"
mkdir -p "$vgdir" "$regress"
[ ${#as_pg[@]} -eq 0 ] || chown postgres: "$vgdir"
server_pid=
keep_logs=${VALGRIND_KEEP_LOGS:-0}

cleanup() {
    status=$?
    if [ -f "$data/postmaster.pid" ]; then
        "${as_pg[@]}" "$BINDIR/pg_ctl" -D "$data" -m immediate -w -t 120 stop >/dev/null 2>&1 || true
    fi
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ $status -ne 0 ] && [ -f "$log" ]; then
        echo "--- last lines of the valgrind server's log ---" >&2
        tail -n 20 "$log" >&2 || true
    fi
    if [ "$keep_logs" = 1 ] && compgen -G "$vgdir/vg.*.log" >/dev/null; then
        kept=$(mktemp -d /tmp/credit-valgrind-logs.XXXXXX)
        cp "$vgdir"/vg.*.log "$kept"/
        echo "valgrind: logs kept in $kept" >&2
    fi
    rm -rf "$tmp"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the cluster ------------------------------------------------------------
cluster_initdb <<CONF
shared_buffers = 16MB
max_connections = 10
autovacuum = off
jit = off
max_wal_size = 1GB
CONF

# the postmaster under valgrind; every forked child logs to its own vg.<pid>.log
# shellcheck disable=SC2086
"${as_pg[@]}" valgrind --tool=memcheck --trace-children=yes --error-limit=no --num-callers=30 \
    --fullpath-after= --leak-check=no --log-file="$vgdir/vg.%p.log" ${VALGRIND_OPTS:-} \
    "$BINDIR/postgres" -D "$data" >"$log" 2>&1 &
server_pid=$!

timeout=${VALGRIND_START_TIMEOUT:-300}
echo "valgrind: starting the server under memcheck (up to ${timeout}s)"
t0=$SECONDS
until "$BINDIR/pg_isready" -q -h "$tmp" -p "$port" -t 5; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "valgrind: the server exited during start-up" >&2
        exit 1
    fi
    if [ $((SECONDS - t0)) -ge "$timeout" ]; then
        echo "valgrind: the server did not accept connections within ${timeout}s" >&2
        exit 1
    fi
    sleep 2
done
echo "valgrind: server ready after $((SECONDS - t0))s; running make installcheck"

# ---- the suite ----------------------------------------------------------------
# results and regression.diffs go to the throwaway directory, so a make test
# running alongside in this tree is not disturbed
export PGHOST="$tmp" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
t0=$SECONDS
set +e
make --no-print-directory -s installcheck EXTRA_REGRESS_OPTS="--outputdir=$regress" >"$tmp/installcheck.log" 2>&1
regress_rc=$?
set -e
grep -E '^(ok|not ok|test| *[a-z_]+ +\.\.\.)|tests (passed|failed)' "$tmp/installcheck.log" || cat "$tmp/installcheck.log"
if [ $regress_rc -ne 0 ] && [ -f "$regress/regression.diffs" ]; then
    head -n 100 "$regress/regression.diffs"
fi
echo "valgrind: installcheck exited $regress_rc after $((SECONDS - t0))s"

# ---- stop: every process writes its error summary on exit -----------------------
"${as_pg[@]}" "$BINDIR/pg_ctl" -D "$data" -m fast -w -t 300 stop >/dev/null
wait "$server_pid" || true
server_pid=

# ---- the logs -----------------------------------------------------------------------
# An error record is a block of "==pid== " lines between blank "==pid== "
# lines that has a stack ("at 0x" / "by 0x").  It involves the extension when
# a frame is in credit.so or in one of its source files.
# (bracket expressions, not backslashes: awk -v would eat those)
srcs=$(cd src && ls ./*.c ./*.h 2>/dev/null | sed 's|^\./||; s/\./[.]/g' | paste -sd'|')
pattern="credit[.]so|/src/($srcs):[0-9]+[)]"

logs=0; errors=0; contexts=0; records=0; ours=0; unfinished=0
report="$tmp/report"
: >"$report"
for f in "$vgdir"/vg.*.log; do
    [ -e "$f" ] || continue
    logs=$((logs + 1))
    # prints "records ours errors contexts" on its last line, the records involving us before it
    out=$(awk -v pat="$pattern" '
        function flush() {
            if (rec != "" && stack) { nrec++; if (rec ~ pat) { nours++; printf "%s", rec; print "" } }
            rec = ""; stack = 0
        }
        /^==[0-9]+== *$/ { flush(); next }
        /ERROR SUMMARY:/ { e = $0; sub(/.*ERROR SUMMARY: /, "", e); split(e, w, " "); errs = w[1]; ctxs = w[4]; summary = 1; next }
        { rec = rec $0 "\n"; if ($0 ~ /^==[0-9]+== +(at|by) 0x/) stack = 1 }
        END { flush(); print (nrec + 0) " " (nours + 0) " " (summary ? errs : -1) " " (summary ? ctxs : -1) }
    ' "$f")
    set -- $(printf '%s\n' "$out" | tail -n 1)
    body=$(printf '%s\n' "$out" | sed '$d')
    records=$((records + $1)); ours=$((ours + $2))
    if [ "$3" -ge 0 ]; then
        errors=$((errors + $3)); contexts=$((contexts + $4)); e="$3 errors from $4 contexts"
    else
        unfinished=$((unfinished + 1)); e="no summary (process killed?)"
    fi
    if [ "$1" -gt 0 ] || [ "$3" != 0 ]; then
        echo "$(basename "$f"): $e, $1 error records, $2 involving credit.so" >>"$report"
    fi
    if [ "$2" -gt 0 ]; then
        echo "==== $(basename "$f"): error records involving the extension"
        printf '%s\n' "$body"
    fi
done

if [ -s "$report" ]; then
    echo "valgrind: errors per log (logs without errors not listed):"
    sed 's/^/  /' "$report"
fi
note=""
[ "$unfinished" -gt 0 ] && note=" ($unfinished logs without a summary)"
echo "valgrind: $logs process logs, $errors errors from $contexts contexts in all;" \
     "$ours error records involving credit.so, $((records - ours)) only inside PostgreSQL$note;" \
     "pg_regress exit $regress_rc"

fail=0
if [ "$ours" -gt 0 ]; then
    echo "valgrind: FAILED: $ours error records involve the extension (see above)"
    keep_logs=1
    fail=1
fi
if [ "$regress_rc" -ne 0 ]; then
    echo "valgrind: FAILED: the regression suite failed under valgrind"
    fail=1
fi
[ $fail = 0 ] && echo "valgrind: OK: no memory error in the extension's code"
exit $fail
