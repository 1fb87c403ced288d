#!/usr/bin/env bash
# Proofs for one logged change (TAP): credit.audit_proof() in SQL, checked by
# the standalone program credit-verify against a digest, with no database;
# a tampered proof and a wrong digest are rejected; bad requests get a clear
# error.  Runs against the cluster of scripts/pgtmp.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
db=credit_proof
work=$(mktemp -d /tmp/credit-proof.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db -c "$1"; }
[ -x ./credit-verify ] || make -s credit-verify >/dev/null

psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
q "CREATE EXTENSION credit" && q "CREATE TABLE public.ledger (id int PRIMARY KEY, v text)" >/dev/null \
    && q "SELECT credit.audit_enable('public.ledger')" >/dev/null
for i in 1 2 3 4 5; do q "INSERT INTO public.ledger VALUES ($i, 'v$i')"; done
q "SELECT count(*) FROM credit.audit_seal()" >/dev/null
for i in 6 7 8; do q "INSERT INTO public.ledger VALUES ($i, 'v$i')"; done
q "SELECT count(*) FROM credit.audit_seal()" >/dev/null
q "INSERT INTO public.ledger VALUES (9, 'unsealed')"
digest=$(q "SELECT credit.audit_digest()")
id=$(q "SELECT log_id FROM credit.audit_log WHERE new_row->>'id' = '3'")
q "SELECT credit.audit_proof($id)" >"$work/proof.json"; ok $? "audit_proof() of a row in the first block"

./credit-verify "$work/proof.json" "$digest" >"$work/out" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "^ok: log row $id is leaf" "$work/out"; ok $? "credit-verify accepts it against the digest ($(cat "$work/out"))"
./credit-verify - "$digest" <"$work/proof.json" >/dev/null 2>&1; ok $? "... also from standard input"

sed 's/"row_hash": "\(.\)/"row_hash": "X\1/; s/"row_hash": "X0/"row_hash": "1/; s/"row_hash": "X\([1-9a-f]\)/"row_hash": "0/' "$work/proof.json" >"$work/bad1.json"
./credit-verify "$work/bad1.json" "$digest" >"$work/out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q '^rejected:' "$work/out"; ok $? "a proof with another row hash is rejected ($(cat "$work/out"))"
other=$(printf '%s' "${digest#*:}" | tr '0123456789abcdef' '123456789abcdef0')
./credit-verify "$work/proof.json" "${digest%%:*}:$other" >"$work/out" 2>&1; rc=$?
[ $rc = 1 ]; ok $? "a wrong digest is rejected ($(cat "$work/out"))"
python3 - "$work/proof.json" "$work/bad2.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["chain"][0]["prev_hash"] = "0" * 64
json.dump(p, open(sys.argv[2], "w"))
PY
./credit-verify "$work/bad2.json" "$digest" >/dev/null 2>&1; [ $? = 1 ]; ok $? "a broken link in the chain is rejected"
head -c 100 "$work/proof.json" >"$work/bad3.json"
./credit-verify "$work/bad3.json" "$digest" >/dev/null 2>&1; [ $? = 2 ]; ok $? "a truncated proof is malformed input (exit 2)"

last=$(q "SELECT max(log_id) FROM credit.audit_log")
q "SELECT credit.audit_proof($last)" >/dev/null 2>"$work/err"
grep -q "is not sealed yet" "$work/err"; ok $? "a proof of an unsealed row: a clear error"
[ "$(q "SELECT 1")" = 1 ]; ok $? "... and the server is still there"
code=$(psql -X -q -At -d $db -c "\\set VERBOSITY verbose" -c "SELECT credit.audit_proof(987654321)" 2>&1 | sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\):.*/\1/p')
[ "$code" = P0002 ]; ok $? "an unknown log_id: no_data_found (P0002)"
code=$(psql -X -q -At -d $db -c "\\set VERBOSITY verbose" -c "SELECT credit.audit_proof($last)" 2>&1 | sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\):.*/\1/p')
[ "$code" = 55000 ]; ok $? "an unsealed row: object_not_in_prerequisite_state (55000)"
q "SELECT count(*) FROM credit.audit_seal()" >/dev/null
digest2=$(q "SELECT credit.audit_digest()")
q "SELECT credit.audit_proof($id)" >"$work/proof2.json"
./credit-verify "$work/proof2.json" "$digest2" >/dev/null 2>&1; ok $? "after another seal the proof runs through the longer chain"
./credit-verify "$work/proof2.json" "$digest" >/dev/null 2>&1; [ $? = 1 ]; ok $? "... and no longer ends at the older digest"
psql -X -q -c "DROP DATABASE $db" >/dev/null
echo "1..$n"
[ $fails = 0 ]
