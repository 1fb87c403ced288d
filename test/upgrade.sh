#!/usr/bin/env bash
# Upgrade paths (TAP): for every released version in src/releases, install
# it, put data in its types, ALTER EXTENSION credit UPDATE, and compare the
# schema with a fresh install of the current version.  The comparison uses
# pg_dump --schema-only --binary-upgrade, the one mode that dumps every member
# of an extension with its definition; lines that only carry OIDs (which
# differ between any two databases) are dropped.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${CREDIT_PGBIN:-/usr/lib/postgresql/15/bin}
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" credit.control)
work=$(mktemp -d /tmp/credit-upgrade.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
schema_dump() {
    "$BIN/pg_dump" --schema-only --binary-upgrade "$1" |
        grep -v -e 'binary_upgrade_set_next_' -e 'pg_catalog.setval(' -e '^\\restrict' -e '^\\unrestrict' -e '^--' |
        sed -e "/binary_upgrade_create_empty_extension/s/'{[0-9,]*}'/'{oids}'/" \
            -e "s/relfrozenxid = '[0-9]*', relminmxid = '[0-9]*'/relfrozenxid = X, relminmxid = X/" \
            -e "s/^WHERE oid = '[0-9]*';/WHERE oid = X;/" |
        grep -v '^$'
}

psql -X -q -c "DROP DATABASE IF EXISTS credit_fresh" -c "CREATE DATABASE credit_fresh" >/dev/null
q credit_fresh "CREATE EXTENSION credit"; ok $? "fresh install of $current"
q credit_fresh "CREATE TABLE public.reg (code credit.uscc PRIMARY KEY, id credit.rid)"   # as in the upgraded databases
schema_dump credit_fresh >"$work/fresh.sql"
[ -s "$work/fresh.sql" ] && grep -q "ALTER EXTENSION credit ADD" "$work/fresh.sql"; ok $? "the fresh schema dump lists the extension's members ($(grep -c 'ALTER EXTENSION credit ADD' "$work/fresh.sql"))"

for f in src/releases/credit--[0-9]*.sql; do
    v=${f#src/releases/credit--}; v=${v%.sql}
    case $v in *--*) continue ;; esac          # upgrade scripts, not releases
    [ "$v" = "$current" ] && continue
    db=credit_from_${v//./_}
    psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    q $db "CREATE EXTENSION credit VERSION '$v'"; ok $? "install $v"
    q $db "CREATE TABLE public.reg (code credit.uscc PRIMARY KEY, id credit.rid);
           INSERT INTO public.reg VALUES ('91350100M000100Y43', '11010519491231002X'), ('91110000100010433L', NULL)"
    ok $? "data in $v's types"
    # a record with evidence and an objection: their rows get the record's subject
    # (the record goes in without its publicity trigger: the library
    # installed is the current one, which reads the current rules' columns;
    # see the README's upgrade section)
    has_repair=$(q $db "SELECT count(*) FROM pg_class WHERE relname = 'objection' AND relnamespace = 'credit'::regnamespace")
    if [ "$has_repair" = 1 ]; then
    q $db "INSERT INTO credit.subject (subject_id, uscc, name) VALUES (77, '91350100M000100Y43', 'upgrade')" &&
    q $db "ALTER TABLE credit.record DISABLE TRIGGER record_publicity;
           INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset, corrected_on)
           VALUES (770, 77, 'administrative_penalty', 'general', 'upgrade', '2025-01-10', 'national-2019', '2025-01-20');
           ALTER TABLE credit.record ENABLE TRIGGER record_publicity" &&
    q $db "INSERT INTO credit.repair_evidence (record_id, kind, provided_on) VALUES (770, 'commitment', '2025-06-01')" &&
    q $db "INSERT INTO credit.objection (record_id, raised_on, raised_by, reason) VALUES (770, '2025-06-01', 'upgrade', 'upgrade')"
    ok $? "a record with evidence and an objection in $v"
    fi
    has_audit=$(q $db "SELECT count(*) FROM pg_proc WHERE proname = 'audit_seal' AND pronamespace = 'credit'::regnamespace")
    if [ "$has_audit" = 1 ]; then
        # blocks sealed by this version, and a row left unsealed
        for c in a b; do    # (each statement its own transaction: a seal leaves its own transaction's rows)
            q $db "INSERT INTO credit.record_category VALUES ('upgrade_$c', '$c')"
            q $db "SELECT count(*) FROM credit.audit_seal()" >/dev/null
        done
        q $db "INSERT INTO credit.record_category VALUES ('upgrade_c', 'c')"
        digest=$(q $db "SELECT credit.audit_digest()")
    fi
    # the packed bytes of the stored codes, through the hash of the type (hash_any over them)
    packed_q="SELECT string_agg(code::text || ':' || credit.uscc_hash(code), ',' ORDER BY code) FROM public.reg"
    packed=$(q $db "$packed_q")
    q $db "ALTER EXTENSION credit UPDATE"; ok $? "ALTER EXTENSION credit UPDATE from $v"
    [ -n "$packed" ] && [ "$(q $db "$packed_q")" = "$packed" ] &&
    [ "$(q $db "SELECT count(*) FROM public.reg WHERE credit.uscc_is_legacy(code)")" = 0 ]
    ok $? "the codes $v stored read unchanged after the upgrade (same text, same packed bytes, none legacy)"
    q $db "INSERT INTO public.reg VALUES (credit.uscc_legacy('91350203M0001QKT19'), NULL), ('91350203M0001QKT1F', NULL)" &&
    [ "$(q $db "SET enable_seqscan = off; SELECT string_agg(code::text, ',' ORDER BY code) FROM public.reg WHERE code OPERATOR(credit.>) '91350100M000100Y43'")" \
        = "91350203M0001QKT19,91350203M0001QKT1F" ]
    ok $? "legacy pilot codes go into the upgraded table, ordered among $v's codes by its index"
    q $db "DELETE FROM public.reg WHERE code OPERATOR(credit.>) '91350100M000100Y43'"
    if [ "$has_audit" = 1 ]; then
        [ "$(q $db "SELECT ok FROM credit.audit_verify('$digest')")" = t ]
        ok $? "the blocks sealed by $v still verify after the upgrade, against the digest taken before"
        q $db "INSERT INTO credit.record_category VALUES ('upgrade_d', 'd')"
        q $db "SELECT count(*) FROM credit.audit_seal()" >/dev/null
        [ "$(q $db "SELECT ok::text || count(*) FILTER (WHERE true) FROM credit.audit_verify('$digest') GROUP BY ok")" = true1 ] &&
        [ "$(q $db "SELECT count(*) FROM credit.audit_log l WHERE NOT EXISTS (SELECT 1 FROM credit.audit_block_row r WHERE r.log_id = l.log_id)")" = 0 ] &&
        [ "$(q $db "SELECT count(*) - count(DISTINCT log_id) FROM credit.audit_block_row")" = 0 ]
        ok $? "the chain grows on the converted blocks: the row left unsealed and the new one sealed once, verified"
    fi
    [ "$(q $db "SELECT extversion FROM pg_extension WHERE extname = 'credit'")" = "$current" ]
    ok $? "$v is now $current"
    [ "$(q $db "SELECT string_agg(code::text || '/' || coalesce(credit.mask(id), '-'), ',' ORDER BY code) FROM public.reg")" \
        = "91110000100010433L/-,91350100M000100Y43/110105********002X" ]
    ok $? "the data survives the upgrade"
    if [ "$has_repair" = 1 ]; then
    [ "$(q $db "SELECT (SELECT subject_id FROM credit.repair_evidence WHERE record_id = 770) || ',' ||
                       (SELECT subject_id FROM credit.objection WHERE record_id = 770) || ',' ||
                       (SELECT under_verification FROM credit.record WHERE record_id = 770)")" = "77,77,true" ]
    ok $? "the evidence and the objection of $v carry their record's subject (the new keys), the record is unchanged"
    fi
    if [ "$has_audit" = 1 ]; then
        [ "$(q $db "SELECT coalesce(problem, 'ok') || ' ' || coalesce(broken_log_id::text, '-') FROM credit.audit_verify(check_tables => true)")" = "ok -" ]
        ok $? "the audited tables match their last logged images after the upgrade (the new keys' images were logged)"
    fi
    schema_dump $db >"$work/upgraded.sql"
    if diff -u "$work/fresh.sql" "$work/upgraded.sql" >"$work/diff.txt"; then r=0; else r=1; sed 's/^/# /' "$work/diff.txt" | head -40; fi
    ok $r "upgraded from $v = fresh $current (pg_dump --schema-only of both)"
    q $db "SELECT credit.add_working_days('2025-09-30', 1) = '2025-10-09' AND (SELECT count(*) FROM credit.calendar) > 400" | grep -qx t
    ok $? "the upgrade brought the calendar and its data"
    psql -X -q -c "DROP DATABASE $db" >/dev/null
done
psql -X -q -c "DROP DATABASE credit_fresh" >/dev/null
echo "1..$n"
[ $fails = 0 ]
