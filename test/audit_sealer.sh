#!/usr/bin/env bash
# The background sealer (TAP).  Makes its own throwaway cluster with credit in
# shared_preload_libraries and credit.audit_seal_interval = 1s, writes audited
# rows, and finds every committed row sealed by the worker (no manual seal),
# with the digests in the server log.  Then it kills the postmaster with
# SIGKILL in the middle of a write load, starts it again (crash recovery), and
# finds every committed row sealed exactly once and the chain verified; last,
# a clean restart brings the worker back.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/cluster-lib.sh
cluster_new credit-sealer
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U postgres -d "${2:-sealdb}" -c "$1"; }
start() { "${as_pg[@]}" "$BINDIR/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; }
finish() {
    status=$?
    [ -n "${load_pid:-}" ] && { kill "$load_pid" 2>/dev/null; wait "$load_pid" 2>/dev/null; }
    [ -f "$data/postmaster.pid" ] && "${as_pg[@]}" "$BINDIR/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1
    if [ $fails -gt 0 ] && [ -f "$log" ]; then tail -n 30 "$log" | sed 's/^/# /'; fi
    rm -rf "$tmp"
    exit $status
}
trap finish EXIT
cluster_initdb <<CONF || exit 1
shared_preload_libraries = 'credit'
credit.audit_seal_interval = '1s'
CONF
start; ok $? "a server with credit preloaded starts"
q "CREATE DATABASE sealdb" postgres >/dev/null
q "CREATE EXTENSION credit; CREATE TABLE public.ledger (id int PRIMARY KEY, v text); SELECT credit.audit_enable('public.ledger')" >/dev/null
ok $? "extension and an audited table"

unsealed() { q "SELECT count(*) FROM credit.audit_log l WHERE NOT EXISTS (SELECT 1 FROM credit.audit_block_row r WHERE r.log_id = l.log_id)"; }
wait_sealed() {
    local i
    for i in $(seq 1 60); do [ "$(unsealed)" = 0 ] && return 0; sleep 0.5; done
    return 1
}
for i in $(seq 1 20); do q "INSERT INTO public.ledger VALUES ($i, 'row $i')" >/dev/null; done
wait_sealed; ok $? "the worker seals every committed row by itself (no manual seal)"
grep -q 'credit: sealed audit block .* in database "sealdb"; digest [0-9]*:[0-9a-f]\{64\}' "$log"
ok $? "each new block's digest is in the server log"
[ "$(q "SELECT ok FROM credit.audit_verify()")" = t ]; ok $? "the chain verifies"

# a long transaction: its rows are sealed only after it commits
psql -X -q -h "$tmp" -p "$port" -U postgres -d sealdb >/dev/null 2>&1 <<'SQL' &
BEGIN;
INSERT INTO public.ledger VALUES (1000, 'long');
SELECT pg_sleep(8);
COMMIT;
SQL
long_pid=$!
sleep 1
for i in $(seq 21 30); do q "INSERT INTO public.ledger VALUES ($i, 'row $i')" >/dev/null; done
sealed30() { q "SELECT count(*) FROM credit.audit_block_row r JOIN credit.audit_log l USING (log_id) WHERE l.new_row->>'id' = '30'"; }
for _ in $(seq 1 40); do [ "$(sealed30)" = 1 ] && break; sleep 0.2; done
[ "$(sealed30)" = 1 ] && kill -0 $long_pid 2>/dev/null \
    && [ "$(q "SELECT count(*) FROM credit.audit_log WHERE new_row->>'id' = '1000'")" = 0 ]
ok $? "rows committed after a long transaction began are sealed while it runs; its own row is not visible yet"
wait $long_pid
wait_sealed; ok $? "the long transaction's row is sealed after it commits"
[ "$(q "SELECT count(*) - count(DISTINCT log_id) FROM credit.audit_block_row")" = 0 ]; ok $? "... exactly once"
[ "$(q "SELECT count(*) FROM credit.audit_block WHERE cardinality(late_log_ids) > 0")" -ge 1 ]
ok $? "... as a late row of a later block"

# crash in the middle of a write load
( i=2000; while :; do
      psql -X -q -h "$tmp" -p "$port" -U postgres -d sealdb -c "INSERT INTO public.ledger VALUES ($i, 'load')" >/dev/null 2>&1 || exit 0
      i=$((i + 1)); done ) &
load_pid=$!
sleep 3
pm=$(head -n 1 "$data/postmaster.pid")
cluster_kill9 "$pm"
[ -z "$cluster_left" ]; ok $? "the postmaster and its children (the sealer among them) killed with SIGKILL"
wait "$load_pid" 2>/dev/null; load_pid=
cluster_clear_zombie_lock "$pm" "$data" "$tmp" "$port"
start; ok $? "the server recovers from SIGKILL"
wait_sealed; ok $? "after the crash the worker seals every committed row"
[ "$(q "SELECT count(*) FROM public.ledger")" = "$(q "SELECT count(*) FROM credit.audit_log WHERE table_name = 'ledger' AND operation = 'INSERT'")" ]
ok $? "every committed row has its audit row"
[ "$(q "SELECT count(*) - count(DISTINCT log_id) FROM credit.audit_block_row")" = 0 ]; ok $? "no row is sealed twice"
[ "$(q "SELECT ok FROM credit.audit_verify(check_tables => true)")" = t ]; ok $? "the chain and the table verify after the crash"

"${as_pg[@]}" "$BINDIR/pg_ctl" -D "$data" -m fast -w restart -l "$log" >/dev/null; ok $? "clean restart"
q "INSERT INTO public.ledger VALUES (999999, 'after restart')" >/dev/null
wait_sealed; ok $? "the worker seals again after a restart"
echo "1..$n"
[ $fails = 0 ]
