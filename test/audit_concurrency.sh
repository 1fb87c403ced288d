#!/usr/bin/env bash
# Audit log under concurrent writers (TAP).  pgbench runs 8 clients of mixed
# single-row INSERTs and UPDATEs on audited tables for AUDIT_SECONDS (default
# 30) while another session seals blocks every few seconds; then a final seal
# and verify.  The chain must verify, every log row must be sealed, and there
# must be exactly one log row per changed row: for the account table each
# UPDATE adds 1 to v, so its log must hold count(*) + sum(v) rows.
set -uo pipefail
BIN=${CREDIT_PGBIN:-/usr/lib/postgresql/15/bin}
secs=${AUDIT_SECONDS:-30}
clients=${AUDIT_CLIENTS:-8}
db=credit_concurrency
work=$(mktemp -d /tmp/credit-conc.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db -c "$1"; }

psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
CREATE EXTENSION credit;
CREATE TABLE public.account (id serial PRIMARY KEY, v int NOT NULL DEFAULT 0);
SELECT credit.audit_enable('public.account');
INSERT INTO public.account (v) SELECT 0 FROM generate_series(1, 1000);
CREATE SEQUENCE public.code_seq;
SQL
ok $? "set-up"

cat >"$work/insert.sql" <<'SQL'
INSERT INTO public.account (v) VALUES (0);
SQL
cat >"$work/update.sql" <<'SQL'
\set id random(1, 1000)
UPDATE public.account SET v = v + 1 WHERE id = :id;
SQL
cat >"$work/subject.sql" <<'SQL'
INSERT INTO credit.subject (uscc, name)
SELECT (b || credit.uscc_check_char(b))::credit.uscc, 'pgbench'
FROM (SELECT '91350100MA' || lpad(nextval('public.code_seq')::text, 7, '0') AS b) s;
SQL

# a sealer alongside the writers
( end=$((SECONDS + secs)); while [ $SECONDS -lt $end ]; do
      psql -X -q -At -d $db -c "SELECT count(*) FROM credit.audit_seal()" >/dev/null 2>&1
      sleep 3
  done ) &
sealer=$!
"$BIN/pgbench" -n -c "$clients" -j 2 -T "$secs" -d $db \
    -f "$work/insert.sql@2" -f "$work/update.sql@6" -f "$work/subject.sql@2" >"$work/pgbench.log" 2>&1
rc=$?
wait $sealer
grep -E "number of transactions actually processed|number of failed|tps" "$work/pgbench.log" | sed 's/^/# /'
ok $rc "pgbench: $clients clients for ${secs}s of INSERT/UPDATE on audited tables"

q "SELECT count(*) FROM credit.audit_seal()" >/dev/null; ok $? "final seal"
blocks=$(q "SELECT count(*) FROM credit.audit_block")
[ "$blocks" -ge 2 ]; ok $? "blocks were sealed while writers ran ($blocks blocks)"
v=$(q "SELECT ok::text || ' ' || coalesce(problem, '') FROM credit.audit_verify()")
[ "$v" = "true " ]; ok $? "audit_verify: no broken row, block or link ($v)"
unsealed=$(q "SELECT count(*) FROM credit.audit_log l WHERE NOT EXISTS (SELECT 1 FROM credit.audit_block_row r WHERE r.log_id = l.log_id)")
[ "$unsealed" = 0 ]; ok $? "every log row is sealed"
a=$(q "SELECT count(*) + sum(v) FROM public.account")
b=$(q "SELECT count(*) FROM credit.audit_log WHERE table_name = 'account'")
[ "$a" = "$b" ]; ok $? "exactly one log row per changed row of account (rows + updates = $a, log rows = $b)"
a=$(q "SELECT count(*) FROM credit.subject")
b=$(q "SELECT count(*) FROM credit.audit_log WHERE table_name = 'subject' AND operation = 'INSERT'")
[ "$a" = "$b" ]; ok $? "exactly one log row per inserted subject ($a)"
d=$(q "SELECT count(*) - count(DISTINCT log_id) FROM credit.audit_block_row")
[ "$d" = 0 ]; ok $? "no row in two blocks"

psql -X -q -c "DROP DATABASE $db" >/dev/null
echo "1..$n"
[ $fails = 0 ]
