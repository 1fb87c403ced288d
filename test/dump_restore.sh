#!/usr/bin/env bash
# Dump/restore round trip (TAP).  Runs against the cluster of scripts/pgtmp.sh:
# builds a database that uses the configuration tables and the reference
# schema, then does exactly what a DBA would -- pg_dump -Fc + pg_restore, and
# pg_dump | psql, with no special setting -- and compares every user-visible
# table.  Builtin rows must not be duplicated; users' rows, rulesets, calendar
# additions, sequences and the audit chain must survive.  Last, DROP
# EXTENSION is refused while the data is there.
set -uo pipefail
BIN=${CREDIT_PGBIN:-/usr/lib/postgresql/15/bin}
src=credit_dump_src
dst=credit_dump_dst
plain=credit_dump_plain
dump=$(mktemp /tmp/credit-dump.XXXXXX)
trap 'rm -f "$dump"' EXIT
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

psql -X -q -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" -c "DROP DATABASE IF EXISTS $plain" \
     -c "CREATE DATABASE $src" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d $src >/dev/null <<'SQL'
CREATE EXTENSION credit;
SET datestyle = ISO;
INSERT INTO credit.calendar VALUES ('2027-01-01', 'holiday', '元旦'), ('2027-02-07', 'workday', '春节');
INSERT INTO credit.record_category VALUES ('tax_arrears', '欠税信息');
SELECT credit.copy_ruleset('dandong', 'dandong-2025', '丹东（本地调整）');
UPDATE credit.publicity_rule SET min_period = '4 months'
 WHERE ruleset = 'dandong-2025' AND category = 'administrative_penalty' AND severity = 'general';
INSERT INTO credit.publicity_rule (ruleset, category, severity, published, min_period, max_period)
VALUES ('dandong-2025', 'tax_arrears', 'general', true, '6 months', '2 years');
INSERT INTO credit.subject (uscc, name)
SELECT (b || credit.uscc_check_char(b))::credit.uscc, 'org ' || g
FROM generate_series(1, 200) g, LATERAL (SELECT '913501' || lpad(g::text, 2, '0') || 'MA' || lpad(g::text, 7, '0') AS b) s;
INSERT INTO credit.subject (rid, name)
SELECT (b || credit.rid_check_char(b))::credit.rid, 'person ' || g
FROM generate_series(1, 50) g, LATERAL (SELECT '110105' || to_char(DATE '1980-01-01' + g, 'YYYYMMDD') || lpad(g::text, 3, '0') AS b) s;
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, disclosed_on, ruleset, corrected_on)
SELECT 1 + g % 250, (ARRAY['administrative_penalty','administrative_penalty','tax_arrears','serious_dishonesty_list'])[1 + g % 4],
       CASE g % 4 WHEN 3 THEN 'serious' WHEN 2 THEN 'general' ELSE (ARRAY['minor','general','serious'])[1 + g % 3] END,
       'authority ' || g % 7, DATE '2024-01-01' + g, DATE '2024-01-01' + g + g % 3,
       CASE WHEN g % 4 = 2 THEN 'dandong-2025' ELSE (ARRAY['national','national-2019','dandong', NULL])[1 + g % 4] END,
       CASE WHEN g % 5 = 0 THEN DATE '2024-06-01' + g END
FROM generate_series(1, 600) g;
UPDATE credit.record SET state = 'under_repair' WHERE record_id % 10 = 0;
UPDATE credit.record SET state = 'repaired' WHERE record_id % 20 = 0;
-- a full repair (national, no notice), a rejected one, evidence and objections
SET credit.calendar_coverage = 'ignore';
UPDATE credit.record SET corrected_on = decided_on + 1 WHERE record_id IN (1, 5);
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours) VALUES (5, 'training', '2024-06-01', 3);
INSERT INTO credit.repair_application (record_id, applicant, submitted_on) VALUES (1, 'a', '2024-05-02'), (5, 'b', '2024-08-01');
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2024-05-02' WHERE record_id = 1;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2024-05-06' WHERE record_id = 1;
UPDATE credit.repair_application SET state = 'processed', processed_on = '2024-05-07' WHERE record_id = 1;
UPDATE credit.repair_application SET state = 'rejected', decided_on = '2024-08-02' WHERE record_id = 5;
INSERT INTO credit.objection (record_id, raised_on, raised_by, reason) VALUES (3, '2025-01-10', 'x', 'y'), (3, '2025-02-10', 'x', 'z'), (7, '2025-03-01', 'x', 'y');
UPDATE credit.objection SET state = 'dismissed', resolved_on = '2025-03-01' WHERE objection_id = 1;
-- commitments: local configuration, one of each end, a violation (a record), a repair commitment
INSERT INTO credit.commitment_matter VALUES ('food_business', '食品经营许可', 'authority 1'), ('blasting', '爆破作业许可', NULL);
INSERT INTO credit.commitment_excluded_matter VALUES ('blasting', '直接涉及公共安全', '国办发〔2020〕42号');
INSERT INTO credit.commitment_ban_period (ban_period, legal_basis) VALUES ('1 year', 'local');
INSERT INTO credit.commitment_kind (kind, name) VALUES ('local_pledge', '本地诚信承诺');
INSERT INTO credit.commitment (subject_id, kind, matter, authority, content, signed_on) VALUES
    (2, 'missing_materials', 'food_business', 'authority 1', '补交材料', '2025-09-26'),
    (3, 'approval_substitute', 'food_business', 'authority 1', '承诺具备条件', '2025-03-03'),
    (4, 'local_pledge', NULL, 'authority 2', '承诺守信', '2025-04-01'),
    (5, 'missing_materials', 'food_business', 'authority 1', '补交材料', '2025-10-10');
SELECT credit.commitment_violate(2, '材料虚假', '2025-05-05');
SELECT credit.commitment_fulfil(4, '2025-10-16');
SELECT credit.lapse_commitments('2025-12-31');
INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on, record_id)
SELECT subject_id, 'repair', authority, '信用修复承诺', DATE '2025-01-02', record_id FROM credit.record WHERE record_id IN (9, 13)
UNION ALL     -- signed before record 1 was repaired: still valid, and restored
SELECT subject_id, 'repair', authority, '信用修复承诺', DATE '2024-05-03', record_id FROM credit.record WHERE record_id = 1;
-- joint sanctions: a local measure and trigger, an honour, relations, feedback
INSERT INTO credit.measure (measure, name, kind, nature, content, legal_basis, matters)
VALUES ('local_subsidy_ban', '限制申请本市产业扶持资金', 'punishment', 'administrative', '三年内不得申请', '《某市社会信用条例》', '{fiscal_funds}');
INSERT INTO credit.measure_trigger (measure, category, duration) VALUES ('local_subsidy_ban', 'tax_arrears', '3 years');
INSERT INTO credit.honour_kind (kind, name, validity) VALUES ('local_star', '本市诚信之星', '1 year');
INSERT INTO credit.honour (subject_id, kind, authority, granted_on) VALUES (3, 'local_star', '某市', '2024-01-01'), (3, 'red_list', '某市', '2024-02-01');
INSERT INTO credit.subject_relation (subject_id, person_subject_id, role, valid_from, valid_to, authority)
SELECT o.subject_id, p.subject_id, 'legal_representative', '2020-01-01', CASE WHEN o.subject_id = 2 THEN DATE '2023-01-01' END, '某市'
FROM (SELECT subject_id FROM credit.subject WHERE uscc IS NOT NULL ORDER BY subject_id LIMIT 3) o,
     (SELECT subject_id FROM credit.subject WHERE rid IS NOT NULL ORDER BY subject_id LIMIT 1) p;
INSERT INTO credit.measure_feedback (subject_id, measure, matter, authority, applied_on, result)
VALUES (1, 'no_bidding', 'bidding', '某市财政局', '2025-03-01', 'applied'), (1, 'no_bidding', 'bidding', '某市财政局', '2025-04-01', 'lifted');
-- legacy pilot codes, stored on purpose, among ordinary ones (a user table)
CREATE TABLE public.pilot_register (code credit.uscc PRIMARY KEY, name text);
INSERT INTO public.pilot_register
SELECT credit.uscc_legacy(t), 'pilot ' || t
FROM unnest(ARRAY['91350203M0001QKT19', '91350211M0000XUF46', '91350100M0001TGQXM', '91350203M0001FUE2P',
                  '91350211M00013FA1N', '91350203M0001QKT1F', '91350100M000100Y43']) t;
-- seal what was logged so far; a few more writes stay unsealed
SELECT count(*) FROM credit.audit_seal();
UPDATE credit.subject SET industry = 'after the seal' WHERE subject_id = 2;
SQL
[ $? = 0 ]; ok $? "source database built"

"$BIN/pg_dump" -Fc -f "$dump" $src; ok $? "pg_dump -Fc"
psql -X -q -c "CREATE DATABASE $dst" >/dev/null
digest=$(q $src "SELECT credit.audit_digest()")
# as a DBA would: no setting, no option (the restoring session's first
# write into the audit log stops it from logging the replayed rows again)
"$BIN/pg_restore" --exit-on-error -d $dst "$dump"; ok $? "plain pg_restore into a fresh database"
psql -X -q -c "CREATE DATABASE $plain" >/dev/null
"$BIN/pg_dump" $src | psql -X -q -v ON_ERROR_STOP=1 -d $plain >/dev/null 2>&1; ok $? "pg_dump | psql into a fresh database"

tables="credit.calendar credit.record_category credit.ruleset credit.publicity_rule credit.subject credit.record credit.repair_evidence credit.repair_application credit.objection credit.audit_log credit.audit_block credit.audit_block_row credit.commitment_kind credit.commitment_matter credit.commitment_excluded_matter credit.commitment_ban_period credit.commitment credit.measure credit.measure_trigger credit.honour_kind credit.honour credit.subject_relation credit.measure_feedback public.pilot_register"
for t in $tables; do
    a=$(q $src "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) || ' ' || count(*) FROM $t t")
    b=$(q $dst "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) || ' ' || count(*) FROM $t t")
    [ -n "$a" ] && [ "$a" = "$b" ]; ok $? "$t identical after restore ($b)"
    c=$(q $plain "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) || ' ' || count(*) FROM $t t")
    [ -n "$a" ] && [ "$a" = "$c" ]; ok $? "$t identical after pg_dump | psql ($c)"
done
legacy_q="SELECT string_agg(code::text || ':' || credit.uscc_is_legacy(code), ',' ORDER BY code) FROM public.pilot_register"
a=$(q $src "$legacy_q")
b=$(q $dst "$legacy_q")
c=$(q $plain "$legacy_q")
[ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ] &&
    [ "$(q $dst "SELECT count(*) FROM public.pilot_register WHERE credit.uscc_is_legacy(code)")" = 5 ]
ok $? "legacy pilot codes keep their 18 characters and their flag through both restores"
v=$(q $plain "SELECT ok FROM credit.audit_verify('$(q $src "SELECT credit.audit_digest()")')")
[ "$v" = t ]; ok $? "the audit chain verifies after pg_dump | psql"
a=$(q $src "SELECT count(*) FROM credit.calendar WHERE builtin")
b=$(q $dst "SELECT count(*) FROM credit.calendar WHERE builtin")
[ "$a" = "$b" ]; ok $? "builtin calendar rows not duplicated ($b)"
q $dst "SELECT credit.add_working_days('2026-12-31', 1)" | grep -qx 2027-01-04; ok $? "restored calendar addition is used by add_working_days"
q $dst "SELECT min_end FROM credit.publicity_window('administrative_penalty', 'general', '2026-01-31', NULL, 'dandong-2025')" \
    | grep -qx 2026-05-31; ok $? "restored local ruleset is used by publicity_window"
id=$(q $dst "INSERT INTO credit.subject (uscc, name) VALUES ('91350100M000100Y43', 'new') RETURNING subject_id")
[ "$id" = 251 ]; ok $? "identity sequence continues after restore (got $id)"
q $dst "SELECT count(*) FROM credit.public_record_at('2024-12-01')" >/dev/null; ok $? "public view works after restore"
a=$(q $src "SELECT string_agg(record_id || ':' || objection_count || ':' || under_verification, ',' ORDER BY record_id) FROM credit.record WHERE objection_count > 0")
b=$(q $dst "SELECT string_agg(record_id || ':' || objection_count || ':' || under_verification, ',' ORDER BY record_id) FROM credit.record WHERE objection_count > 0")
[ -n "$a" ] && [ "$a" = "$b" ]; ok $? "objection counts and flags are not replayed twice ($b)"
q $dst "SELECT state FROM credit.record WHERE record_id = 1" | grep -qx repaired; ok $? "a repaired record stays repaired"
v=$(q $dst "SELECT ok FROM credit.audit_verify('$digest')")
[ "$v" = t ]; ok $? "the audit chain verifies after restore, against the digest kept before the dump"
q $dst "SELECT count(*) FROM credit.audit_seal()" >/dev/null && \
  q $dst "UPDATE credit.subject SET industry = 'after restore' WHERE subject_id = 3" && \
  q $dst "SELECT count(*) FROM credit.audit_seal()" >/dev/null
v=$(q $dst "SELECT ok::text || ' ' || blocks_checked FROM credit.audit_verify('$digest')")
[ "${v%% *}" = true ]; ok $? "the restored chain grows: new writes are logged and sealed ($v)"

# DROP EXTENSION would delete every record and the log: refused, unless asked for
out=$(psql -X -q -d $plain -c "DROP EXTENSION credit CASCADE" 2>&1)
echo "$out" | grep -q "extension credit holds data"; ok $? "DROP EXTENSION credit CASCADE is refused while records exist"
[ "$(q $plain "SELECT count(*) FROM credit.record")" = "$(q $src "SELECT count(*) FROM credit.record")" ]; ok $? "and the records are still there"
psql -X -q -d $plain -v ON_ERROR_STOP=1 -c "SET credit.drop_with_data = on" -c "DROP EXTENSION credit CASCADE" >/dev/null 2>&1
ok $? "with credit.drop_with_data = on the drop goes ahead"

psql -X -q -c "DROP DATABASE $src" -c "DROP DATABASE $dst" -c "DROP DATABASE $plain" >/dev/null
echo "1..$n"
[ $fails = 0 ]
