#!/usr/bin/env bash
# Crash recovery (TAP).  Runs against the cluster of scripts/pgtmp.sh and
# leaves it running.  One psql session loads an audited table of its own and
# credit.subject in single-row autocommit transactions (plus a multi-row
# transaction every 50 statements and a seal every 250), printing every key
# the server acknowledged.  After CRASH_AFTER seconds (default 2) the
# postmaster and all its children are killed with SIGKILL; the server is
# started again with pg_ctl and goes through crash recovery.  Then: every
# acknowledged key is there, multi-row transactions are all or nothing, every
# data row has exactly one audit row and every audit row its data row, the
# chain seals and verifies, and the database takes new audited writes.
#
# The throwaway cluster runs with fsync, synchronous_commit and
# full_page_writes off.  A process crash would not lose acknowledged commits
# even so (the OS page cache survives it), but the test should hold for a
# real configuration: it turns the three on with ALTER SYSTEM for its run and
# resets them at the end.
set -uo pipefail
BIN=${CREDIT_PGBIN:-/usr/lib/postgresql/15/bin}
. "$(dirname "$0")/../scripts/cluster-lib.sh"
AS_PG=${CREDIT_AS_PG:-}          # "runuser -u postgres --" when we are root, else empty
db=credit_crash
crash_after=${CRASH_AFTER:-2}
statements=${CRASH_STATEMENTS:-200000}

if [ -z "${CREDIT_PGDATA:-}" ] || [ -z "${CREDIT_PGLOG:-}" ]; then
    echo "1..0 # SKIP needs the throwaway cluster of scripts/pgtmp.sh (CREDIT_PGDATA, CREDIT_PGLOG)"
    exit 0
fi

work=$(mktemp -d /tmp/credit-crash.XXXXXX)
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "${2:-$db}" -c "$1"; }
accepting() { "$BIN/pg_isready" -q -d postgres >/dev/null 2>&1; }

start_server() {
    # as scripts/pgtmp.sh starts it, with the same extra options
    $AS_PG "$BIN/pg_ctl" -D "$CREDIT_PGDATA" -l "$CREDIT_PGLOG" -w -t 60 \
        ${CREDIT_PG_OPTS:+-o "$CREDIT_PG_OPTS"} start >"$work/pg_ctl.log" 2>&1
}

settings_changed=0
finish() {
    status=$?
    if [ -n "${load_pid:-}" ]; then kill "$load_pid" 2>/dev/null; wait "$load_pid" 2>/dev/null; fi
    # leave the cluster running and configured as we found it, whatever happened
    if ! accepting; then
        start_server || { echo "# could not restart the server:"; sed 's/^/# /' "$work/pg_ctl.log"; }
    fi
    if [ $settings_changed = 1 ]; then
        psql -X -q -d postgres -c "ALTER SYSTEM RESET fsync" -c "ALTER SYSTEM RESET synchronous_commit" \
             -c "ALTER SYSTEM RESET full_page_writes" -c "SELECT pg_reload_conf()" >/dev/null 2>&1
    fi
    rm -rf "$work"
    exit $status
}
trap finish EXIT
trap 'exit 130' INT TERM

# ---- durable settings for this run -----------------------------------------
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "ALTER SYSTEM SET fsync = on" \
     -c "ALTER SYSTEM SET synchronous_commit = on" -c "ALTER SYSTEM SET full_page_writes = on" \
     -c "SELECT pg_reload_conf()" >/dev/null && settings_changed=1
# the reload reaches the postmaster asynchronously: wait until new sessions see it
for _ in $(seq 50); do
    s=$(q "SELECT current_setting('fsync') || current_setting('synchronous_commit') || current_setting('full_page_writes')" postgres)
    [ "$s" = ononon ] && break
    sleep 0.1
done
[ "$s" = ononon ]; ok $? "fsync, synchronous_commit and full_page_writes on for this run"

# ---- set-up -----------------------------------------------------------------
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
CREATE EXTENSION credit;
CREATE TABLE public.ledger (id bigserial PRIMARY KEY, payload text NOT NULL);
SELECT credit.audit_enable('public.ledger');
CREATE SEQUENCE public.code_seq;
SQL
ok $? "set-up: extension, audited table public.ledger"

# ---- the load script ----------------------------------------------------------
# output lines:  L<id> / S<subject_id>  a committed single-row insert
#                P <tx> <key>           a row of multi-row transaction <tx>, not yet committed
#                T <tx>                 transaction <tx> committed
#                B<n>                   a seal;  END  the load finished
awk -v n="$statements" -v q="'" '
function subject(name, rows) {
    return "INSERT INTO credit.subject (uscc, name) " \
           "SELECT (b || credit.uscc_check_char(b))::credit.uscc, " q name q " " \
           "FROM (SELECT " q "91350100MA" q " || lpad(nextval(" q "public.code_seq" q ")::text, 7, " q "0" q ") AS b " \
           "FROM generate_series(1, " rows ")) s"
}
BEGIN {
    tx = 0
    for (i = 1; i <= n; i++) {
        if (i % 50 == 0) {
            tx++
            print "BEGIN;"
            print "INSERT INTO public.ledger (payload) SELECT " q "tx " tx q " FROM generate_series(1, 5) RETURNING " q "P " tx " L" q " || id;"
            print subject("tx " tx, 3) " RETURNING " q "P " tx " S" q " || subject_id;"
            print "COMMIT;"
            print "\\echo T " tx
        } else if (i % 3 == 0) {
            print subject("single " i, 1) " RETURNING " q "S" q " || subject_id;"
        } else {
            print "INSERT INTO public.ledger (payload) VALUES (" q "single " i q ") RETURNING " q "L" q " || id;"
        }
        if (i % 250 == 0) print "SELECT " q "B" q " || count(*) FROM credit.audit_seal();"
    }
    print "SELECT " q "END" q ";"
}' >"$work/load.sql"

psql -X -q -At -v ON_ERROR_STOP=1 -d $db -f "$work/load.sql" >"$work/load.out" 2>"$work/load.err" &
load_pid=$!

# ---- the crash -----------------------------------------------------------------
# wait CRASH_AFTER seconds and for some acknowledged writes (output may sit in
# psql's stdio buffer, so bound the wait)
t0=$SECONDS
while [ $((SECONDS - t0)) -lt "$crash_after" ] || { [ "$(wc -l <"$work/load.out")" -lt 50 ] && [ $((SECONDS - t0)) -lt 20 ]; }; do
    kill -0 $load_pid 2>/dev/null || break
    sleep 0.2
done
kill -0 $load_pid 2>/dev/null; load_running=$?

pm=$(head -n 1 "$CREDIT_PGDATA/postmaster.pid")
cluster_kill9 "$pm"
tree=${cluster_killed#"$pm "}; left=$cluster_left
[ -z "$left" ]; ok $? "postmaster $pm and its $(echo $tree | wc -w) children killed with SIGKILL${left:+ (still alive:$left)}"

for _ in $(seq 100); do kill -0 $load_pid 2>/dev/null || break; sleep 0.1; done
wait $load_pid; load_rc=$?
load_pid=
sed 's/^/# psql: /' "$work/load.err" | head -n 5
[ $load_running = 0 ] && [ $load_rc = 2 ] && ! grep -qx END "$work/load.out" \
    && grep -qiE 'connection to server was lost|server closed the connection|terminating connection' "$work/load.err"
ok $? "the load was cut off by the crash (psql exit $load_rc, lost connection, $(wc -l <"$work/load.out") output lines)"

# the killed processes are orphans of PID 1; see cluster_clear_zombie_lock
cluster_clear_zombie_lock "$pm" "$CREDIT_PGDATA" "${PGHOST:-/tmp}" "${PGPORT:-5432}"

# ---- restart: crash recovery ---------------------------------------------------
logsize=$(stat -c %s "$CREDIT_PGLOG")
start_server; rc=$?
[ $rc = 0 ] || sed 's/^/# pg_ctl: /' "$work/pg_ctl.log"
accepting && [ "$(q 'SELECT 1' postgres)" = 1 ]; ok $? "server restarted with pg_ctl and accepts connections (pg_ctl exit $rc)"
tail -c +$((logsize + 1)) "$CREDIT_PGLOG" >"$work/recovery.log"
grep -E 'interrupted|not properly shut down|redo (starts|done)|ready to accept' "$work/recovery.log" | sed 's/^/# log: /'
grep -q 'database system was interrupted' "$work/recovery.log" \
    && grep -q 'automatic recovery in progress' "$work/recovery.log" \
    && grep -q 'redo done at' "$work/recovery.log"
ok $? "the server went through crash recovery (log: interrupted, automatic recovery, redo done)"

# ---- what survived ------------------------------------------------------------
# acknowledged keys: single-row lines, and the rows of transactions whose T line was printed
awk '/^[LS][0-9]+$/ { print; next }
     /^P /          { rows[$2] = rows[$2] " " $3; next }
     /^T /          { k = split(rows[$2], a, " "); for (i = 1; i <= k; i++) print a[i]; delete rows[$2] }' \
    "$work/load.out" | sort >"$work/acked"
q "SELECT 'L' || id FROM public.ledger UNION ALL SELECT 'S' || subject_id FROM credit.subject" | sort >"$work/present"
acked=$(wc -l <"$work/acked")
missing=$(comm -23 "$work/acked" "$work/present" | wc -l)
[ "$acked" -gt 0 ] && [ "$missing" = 0 ]; ok $? "every acknowledged key survived ($acked acknowledged, $missing missing)"
comm -23 "$work/acked" "$work/present" | head -n 5 | sed 's/^/# missing: /'

# beyond them, only the transaction in flight at the crash may have committed
comm -13 "$work/acked" "$work/present" >"$work/extra"
maxl=$(sed -n 's/^L//p' "$work/acked" | sort -n | tail -n 1)
maxs=$(sed -n 's/^S//p' "$work/acked" | sort -n | tail -n 1)
bad=$(awk -v l="${maxl:-0}" -v s="${maxs:-0}" '/^L/ && substr($0, 2) + 0 <= l { c++ } /^S/ && substr($0, 2) + 0 <= s { c++ } END { print c + 0 }' "$work/extra")
extra=$(wc -l <"$work/extra")
[ "$bad" = 0 ] && [ "$extra" -le 8 ]; ok $? "no row beyond the acknowledged ones except the transaction in flight ($extra rows)"

v=$(q "SELECT count(*) FROM (SELECT k FROM (SELECT payload AS k FROM public.ledger WHERE payload LIKE 'tx %'
                                            UNION ALL SELECT name FROM credit.subject WHERE name LIKE 'tx %') x
                             GROUP BY k HAVING count(*) <> 8) y")
t=$(q "SELECT count(DISTINCT payload) FROM public.ledger WHERE payload LIKE 'tx %'")
[ "$v" = 0 ] && [ "${t:-0}" -gt 0 ]; ok $? "multi-row transactions are all or nothing ($t committed, $v partial)"

# one audit row per data row, in both directions
audit_check() {  # table, key column
    q "WITH a AS (SELECT (new_row ->> '$2')::bigint AS k, count(*) AS c FROM credit.audit_log
                  WHERE schema_name = '${1%.*}' AND table_name = '${1#*.}' AND operation = 'INSERT' GROUP BY 1)
       SELECT (SELECT count(*) FROM $1)
          || ' ' || (SELECT count(*) FROM $1 t WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.k = t.$2))
          || ' ' || (SELECT count(*) FROM a WHERE NOT EXISTS (SELECT 1 FROM $1 t WHERE t.$2 = a.k))
          || ' ' || (SELECT count(*) FROM a WHERE c <> 1)
          || ' ' || (SELECT count(*) FROM credit.audit_log WHERE schema_name = '${1%.*}' AND table_name = '${1#*.}' AND operation <> 'INSERT')"
}
r=$(audit_check public.ledger id); set -- $r
[ -n "$r" ] && [ "$1" -gt 0 ] && [ "$2 $3 $4 $5" = "0 0 0 0" ]
ok $? "public.ledger: exactly one audit row per row ($1 rows; without audit row $2, audit rows without row $3, duplicated $4, other $5)"
r=$(audit_check credit.subject subject_id); set -- $r
[ -n "$r" ] && [ "$1" -gt 0 ] && [ "$2 $3 $4 $5" = "0 0 0 0" ]
ok $? "credit.subject: exactly one audit row per inserted subject ($1 rows; without audit row $2, audit rows without row $3, duplicated $4, other $5)"

# ---- the chain across the crash ------------------------------------------------
before=$(q "SELECT count(*) FROM credit.audit_block")
q "SELECT count(*) FROM credit.audit_seal()" >/dev/null; ok $? "audit_seal after recovery ($before blocks sealed before the crash)"
v=$(q "SELECT ok::text || ' ' || rows_checked || ' ' || blocks_checked || ' ' || coalesce(problem, '') FROM credit.audit_verify()")
[ "${v%% *}" = true ]; ok $? "audit_verify after recovery: $v"
u=$(q "SELECT count(*) FROM credit.audit_log l WHERE NOT EXISTS (SELECT 1 FROM credit.audit_block_row r WHERE r.log_id = l.log_id)")
[ "$u" = 0 ]; ok $? "every log row is sealed ($u unsealed)"

# ---- usable again -----------------------------------------------------------------
id=$(q "INSERT INTO public.ledger (payload) VALUES ('after the crash') RETURNING id")
sid=$(q "INSERT INTO credit.subject (uscc, name) SELECT (b || credit.uscc_check_char(b))::credit.uscc, 'after the crash'
         FROM (SELECT '91350100MA' || lpad(nextval('public.code_seq')::text, 7, '0') AS b) s RETURNING subject_id")
q "SELECT count(*) FROM credit.audit_seal()" >/dev/null
c=$(q "SELECT count(*) FROM credit.audit_log l JOIN credit.audit_block_row r USING (log_id)
       WHERE (table_name = 'ledger' AND (new_row ->> 'id')::bigint = ${id:-0})
          OR (table_name = 'subject' AND (new_row ->> 'subject_id')::bigint = ${sid:-0})")
v=$(q "SELECT ok FROM credit.audit_verify()")
[ -n "$id" ] && [ -n "$sid" ] && [ "$c" = 2 ] && [ "$v" = t ]
ok $? "new audited inserts after recovery are logged, sealed and verify (ledger $id, subject $sid)"

psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null
echo "1..$n"
[ $fails = 0 ]
