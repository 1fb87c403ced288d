#!/usr/bin/env bash
# Citus scale-out (TAP).  Starts its own cluster -- one coordinator and two
# workers on 127.0.0.1, free ports, temporary directories, run as the
# `postgres` OS user when we are root -- and removes it on exit, also when a
# check fails or the run is interrupted.  Needs Citus installed in the
# PostgreSQL of PG_CONFIG (its citus.so in pg_config --pkglibdir); prints a
# TAP skip line otherwise.  Does not use the cluster of scripts/pgtmp.sh, so
# it also runs on its own:
#
#   test/citus.sh                                   # Debian's PostgreSQL 15
#   PG_CONFIG=/opt/pg16/bin/pg_config test/citus.sh
#   make test PG_CONFIG=...                         # with every other suite
#
# Checks so far (SPEC §10, issue #16): the Citus version; `citus` and
# `credit` on every node; a user's tables distributed on a credit.uscc
# column: shards on both workers, routed lookups by code, a co-located join,
# and credit.risk_class / risk_score / class_counts giving the same results
# as the same data in plain tables on one node.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export PG_CONFIG

pkglibdir=$("$PG_CONFIG" --pkglibdir 2>/dev/null)
if [ ! -f "$pkglibdir/citus.so" ]; then
    echo "1..0 # SKIP citus is not installed: no $pkglibdir/citus.so"
    exit 0
fi
if [ ! -f "$("$PG_CONFIG" --sharedir)/extension/credit.control" ]; then
    echo "Bail out! credit is not installed for $PG_CONFIG (make install PG_CONFIG=$PG_CONFIG)"
    exit 1
fi

. scripts/cluster-lib.sh
# the harness's own connections: TCP on loopback, whatever pgtmp.sh set
unset PGHOST PGPORT PGDATABASE PGUSER PGSERVICE PGOPTIONS
db=credit_citus
nodes=(coordinator worker1 worker2 worker3)
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
. scripts/citus-lib.sh

# ---- the cluster ------------------------------------------------------------
for i in 0 1 2; do start_node $i; done
ok 0 "three nodes up on 127.0.0.1: coordinator :${ports[0]}, workers :${ports[1]} :${ports[2]}"

setup=0
for i in 0 1 2; do
    q $i "CREATE DATABASE $db" postgres >/dev/null &&
    q $i "CREATE EXTENSION citus; CREATE EXTENSION credit" >/dev/null || setup=1
done
# clients of the coordinator find credit's operators (uscc = uscc) by
# search_path; the workers get queries whose operators Citus has qualified
q 0 "ALTER DATABASE $db SET search_path = \"\$user\", public, credit" >/dev/null || setup=1
ok $setup "CREATE EXTENSION citus and credit on every node"
[ $setup = 0 ] || { echo "Bail out! no extensions"; exit 1; }

citus=$(q 0 "SELECT citus_version()")
credit=$(q 0 "SELECT extversion FROM pg_extension WHERE extname = 'credit'")
case $citus in Citus\ [0-9]*) r=0 ;; *) r=1 ;; esac
ok $r "Citus reports its version: ${citus%% on *} (credit $credit, $("$PG_CONFIG" --version))"

q 0 "SELECT citus_set_coordinator_host('127.0.0.1', ${ports[0]});
     SELECT citus_add_node('127.0.0.1', ${ports[1]});
     SELECT citus_add_node('127.0.0.1', ${ports[2]})" >/dev/null
[ "$(q 0 "SELECT string_agg(nodeport::text, ',' ORDER BY nodeport) FROM pg_dist_node
          WHERE groupid > 0 AND isactive AND noderole = 'primary'")" = \
  "$(printf '%s\n' "${ports[1]}" "${ports[2]}" | sort -n | paste -sd,)" ]
ok $? "the coordinator knows both workers as active primaries"

[ "$(q 0 "SELECT string_agg(result, ',') FROM run_command_on_workers(
          \$\$SELECT extversion FROM pg_extension WHERE extname = 'credit'\$\$) WHERE success")" = "$credit,$credit" ]
ok $? "every worker answers with credit $credit"

# ---- a user's tables distributed on a credit.uscc column -------------------
# The same data twice: plain tables on one node (the coordinator's own, not
# distributed) and distributed tables, co-located by code.
shards=8
q 0 "
CREATE TABLE org_local (code credit.uscc PRIMARY KEY, name text NOT NULL, province text NOT NULL);
CREATE TABLE org_score_local (code credit.uscc NOT NULL, month date NOT NULL, score float8, weight float8,
                              cap credit.credit_class, PRIMARY KEY (code, month));
INSERT INTO org_local
SELECT (b || credit.uscc_check_char(b))::credit.uscc, 'org ' || g,
       (ARRAY['Beijing', 'Fujian', 'Liaoning', 'Sichuan'])[1 + g % 4]
FROM generate_series(1, 400) g,
     LATERAL (SELECT '91' || (ARRAY['1101', '3501', '2106', '5101'])[1 + g % 4] || '00MA' || lpad(g::text, 7, '0') AS b) s;
INSERT INTO org_score_local
SELECT o.code, DATE '2026-01-01' + make_interval(months => m),
       CASE WHEN (g + m) % 11 = 0 THEN NULL ELSE least(100, 30 + (g * 7) % 71 + m * 2 + (g + m) % 5)::float8 END,
       1 + (g + m) % 3,
       CASE WHEN g % 23 = 0 AND m = 2 THEN 'D' WHEN g % 17 = 0 THEN 'C' END::credit.credit_class
FROM org_local o, LATERAL (SELECT substr(o.name, 5)::int AS g) x, generate_series(0, 5) m;
CREATE TABLE org (LIKE org_local INCLUDING ALL);
CREATE TABLE org_score (LIKE org_score_local INCLUDING ALL);
" >/dev/null
ok $? "400 organisations with 6 months of scores in plain tables"

q 0 "SELECT create_distributed_table('org', 'code', shard_count => $shards);
     SELECT create_distributed_table('org_score', 'code', colocate_with => 'org')" >/dev/null
ok $? "create_distributed_table on a credit.uscc column (hash by its hash opclass)"

[ "$(q 0 "SELECT count(DISTINCT colocation_id) || '/' || count(*) FROM citus_tables
          WHERE table_name IN ('org'::regclass, 'org_score'::regclass) AND citus_table_type = 'distributed'")" = 1/2 ]
ok $? "org and org_score are distributed and co-located"

# a few single-row inserts (each routed to its shard), then the rest in bulk
q 0 "INSERT INTO org SELECT * FROM org_local WHERE name IN ('org 1', 'org 2', 'org 3');
     INSERT INTO org VALUES ('$(q 0 "SELECT code FROM org_local WHERE name = 'org 4'")', 'org 4', 'Beijing');
     INSERT INTO org SELECT * FROM org_local WHERE name NOT IN ('org 1', 'org 2', 'org 3', 'org 4');
     INSERT INTO org_score SELECT * FROM org_score_local" >/dev/null
ok $? "rows inserted into the distributed tables"
[ "$(q 0 "SELECT sum(result::bigint) FROM run_command_on_shards('org', 'SELECT count(*) FROM %s')")/$(q 0 "SELECT count(*) FROM org_local")" = 400/400 ]
ok $? "the shards of org hold the 400 rows"
[ "$(q 0 "SELECT count(DISTINCT s.nodeport) FROM citus_shards s WHERE s.table_name = 'org'::regclass")" = 2 ] &&
[ "$(q 0 "SELECT count(*) FROM run_command_on_shards('org', 'SELECT count(*) FROM %s') WHERE result::int = 0")" = 0 ]
ok $? "its $shards shards are spread over both workers, none empty"

# routed lookups: one code, one shard, the right row
code=$(q 0 "SELECT code FROM org_local WHERE name = 'org 217'")
[ "$(q 0 "SELECT name FROM org WHERE code = '$code'")" = "org 217" ]
ok $? "lookup by code ($code) finds its row"
lower=$(printf '%s' "$code" | tr '[:upper:]' '[:lower:]')
[ "$(q 0 "SELECT name FROM org WHERE code = '${lower:0:6}-${lower:6}'")" = "org 217" ]
ok $? "... also written in lower case with a dash (normalised before hashing)"
q 0 "EXPLAIN (COSTS OFF) SELECT name FROM org WHERE code = '$code'" | grep -q 'Task Count: 1$'
ok $? "... the lookup is routed to a single shard (EXPLAIN: Task Count: 1)"
[ "$(q 0 "SELECT count(*) FROM org_score WHERE code = '$code'")" = 6 ]
ok $? "... and org_score's rows of that code are there (co-located shard)"
all=$(q 0 "SELECT count(*) FROM org d JOIN org_local l ON d.code = l.code AND d.name = l.name" 2>&1)
[ "$all" = 400 ]
ok $? "every code is found in the distributed table ($all/400)"

# the same query on the distributed tables and on the plain ones: same rows
subst() { local s=${2//\{org_score\}/org_score$1}; printf '%s' "${s//\{org\}/org$1}"; }
same() {   # same DESCRIPTION QUERY (naming the tables {org} and {org_score})
    local d l
    d=$(q 0 "$(subst '' "$2")" 2>&1); l=$(q 0 "$(subst _local "$2")" 2>&1)
    if [ -n "$d" ] && [ "$d" = "$l" ]; then ok 0 "$1"; else
        ok 1 "$1"
        echo "# distributed:"; printf '%s\n' "$d" | head -n 8 | sed 's/^/#   /'
        echo "# one node:"; printf '%s\n' "$l" | head -n 8 | sed 's/^/#   /'
    fi
}
explain() { q 0 "EXPLAIN (VERBOSE, COSTS OFF) $(subst '' "$1")" 2>&1; }

join="SELECT o.province, count(*), round(sum(s.score * s.weight)::numeric, 6), min(s.month), max(s.month)
      FROM {org} o JOIN {org_score} s USING (code) WHERE s.score IS NOT NULL
      GROUP BY o.province ORDER BY o.province"
same "co-located join org ⋈ org_score by code: same result as one node" "$join"
plan=$(explain "$join")
printf '%s\n' "$plan" | grep -q "Task Count: $shards$" && ! printf '%s\n' "$plan" | grep -qiE 'repartition|intermediate result'
ok $? "... pushed down to the $shards shard pairs, no repartition"

by_code="SELECT o.code, o.name, credit.risk_class(s.score, s.weight, s.cap), round(credit.risk_score(s.score, s.weight)::numeric, 9)
         FROM {org} o JOIN {org_score} s USING (code) GROUP BY o.code, o.name ORDER BY o.code"
same "risk_class / risk_score per organisation (grouped by the distribution column): same as one node" "$by_code"

by_month="SELECT month, credit.risk_class(score, weight, cap), round(credit.risk_score(score, weight)::numeric, 9),
                 credit.risk_class(score, weight, cap, '{80,60,40}')
          FROM {org_score} GROUP BY month ORDER BY month"
same "risk_class / risk_score per month (across shards: partial states combined): same as one node" "$by_month"
explain "$by_month" | grep -q 'worker_partial_agg'
ok $? "... computed as partial aggregates on the workers (worker_partial_agg / coord_combine_agg)"

counts="SELECT o.province, credit.class_counts(c.cls)
        FROM {org} o JOIN (SELECT code, credit.risk_class(score, weight, cap) AS cls FROM {org_score} GROUP BY code) c USING (code)
        GROUP BY o.province ORDER BY o.province"
same "class_counts per province of each organisation's risk_class: same as one node" "$counts"
explain "$counts" | grep -q 'worker_partial_agg'
ok $? "... class_counts combined from the workers' partial tallies"
same "class_counts over everything: same as one node" \
     "SELECT credit.class_counts(cls) FROM (SELECT code, credit.risk_class(score, weight, cap) AS cls FROM {org_score} GROUP BY code) c"

# ---- credit's configuration on every node (credit.distribute_configuration) --
# Before: each node has its own copy of the configuration tables.
q 0 "CREATE TABLE penalty (code credit.uscc NOT NULL, id bigint NOT NULL, category text NOT NULL, severity text NOT NULL,
                           decided_on date NOT NULL, ruleset text, publicity_starts date, publicity_min_end date,
                           publicity_max_end date, PRIMARY KEY (code, id));
     CREATE TRIGGER penalty_publicity BEFORE INSERT OR UPDATE ON penalty FOR EACH ROW
         EXECUTE FUNCTION credit.publicity_trigger();
     SET citus.enable_unsafe_triggers = on;
     SELECT create_distributed_table('penalty', 'code', colocate_with => 'org')" >/dev/null
ok $? "a user's table with the publicity trigger, distributed on its credit.uscc column"
nconf=$(q 0 "SELECT count(*) FROM credit.configuration_tables()")
r=$(q 0 "SET client_min_messages = warning;
         SELECT count(*) FILTER (WHERE converted) || '/' || count(*) FILTER (WHERE NOT converted) FROM credit.distribute_configuration()" 2>&1)
[ "$r" = "$nconf/0" ]
ok $? "credit.distribute_configuration() makes the $nconf configuration tables reference tables ($r)"
[ "$(q 0 "SELECT count(*) FROM pg_dist_partition p JOIN credit.configuration_tables() c ON c = p.logicalrelid
          WHERE p.partmethod = 'n'")" = "$nconf" ] &&
[ "$(q 0 "SELECT count(DISTINCT nodeport) FROM pg_dist_placement pl JOIN pg_dist_shard s USING (shardid)
          JOIN pg_dist_node n USING (groupid) WHERE s.logicalrelid = 'credit.calendar'::regclass")" = 3 ]
ok $? "... listed in pg_dist_partition, with a placement on each of the three nodes"
r=$(q 0 "SELECT count(DISTINCT result) || ':' || min(result) FROM run_command_on_placements('credit.calendar',
         'SELECT count(*) || ''/'' || count(*) FILTER (WHERE builtin) FROM %s')")
[ "$r" = "1:$(q 0 "SELECT count(*) || '/' || count(*) FILTER (WHERE builtin) FROM credit.calendar")" ]
ok $? "every placement of credit.calendar holds the same rows, the builtin ones included ($r)"
[ "$(q 0 "SELECT string_agg(result, ',') FROM run_command_on_workers(
          \$\$SELECT count(*) FROM credit.audit_log WHERE table_name ~ '_[0-9]+\$'\$\$)")" = "0,0" ]
ok $? "the copy is not logged again on the workers"
again=$(q 0 "SELECT count(*) FILTER (WHERE converted) FROM credit.distribute_configuration()")
[ "$again" = 0 ]
ok $? "... and a second call converts nothing"
q 0 "SELECT credit.distribute_configuration()" postgres >/dev/null 2>&1
[ $? != 0 ]
ok $? "... (a database without Citus is refused)"

# a ruleset copied on the coordinator is known on the workers
q 0 "SELECT credit.copy_ruleset('dandong', 'dandong-2026', '丹东 2026')" >/dev/null &&
q 0 "UPDATE credit.publicity_rule SET min_period = '7 months' WHERE ruleset = 'dandong-2026' AND published" >/dev/null
ok $? "copy_ruleset and a change to the copy, on the coordinator"
want=$(q 0 "SELECT string_agg(concat_ws('/', w.starts, w.min_end, w.max_end), ',')
            FROM credit.publicity_window('administrative_penalty', 'general', '2026-03-02', NULL, 'dandong-2026') w")
q 0 "INSERT INTO penalty (code, id, category, severity, decided_on, ruleset)
     SELECT code, 1, 'administrative_penalty', 'general', '2026-03-02', 'dandong-2026' FROM org_local" >/dev/null
ok $? "records of every organisation inserted with that ruleset (the trigger runs on the workers' shards)"
[ "$(q 0 "SELECT count(DISTINCT concat_ws('/', publicity_starts, publicity_min_end, publicity_max_end)) || ':' ||
                 min(concat_ws('/', publicity_starts, publicity_min_end, publicity_max_end)) FROM penalty")" = "1:$want" ]
ok $? "... every shard computed the copy's periods, as publicity_window does on the coordinator ($want)"

# roles: setup_roles() on the coordinator; its roles and table grants reach every node
q 0 "SET client_min_messages = warning; SELECT credit.setup_roles();
     CREATE ROLE rules_clerk LOGIN IN ROLE credit_admin; CREATE ROLE reader_clerk LOGIN IN ROLE credit_reader" >/dev/null
ok $? "setup_roles() and two login roles (an administrator, a reader) on the coordinator"
[ "$(q 0 "SELECT string_agg(result, ',') FROM run_command_on_workers(
          \$\$SELECT pg_has_role('rules_clerk', 'credit_admin', 'MEMBER') AND has_table_privilege('credit_admin', 'credit.publicity_rule', 'UPDATE')\$\$)")" = "t,t" ]
ok $? "... the roles, memberships and grants on the reference tables exist on the workers"
"$BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${ports[0]}" -U rules_clerk -d $db \
    -c "UPDATE credit.publicity_rule SET max_period = '2 years' WHERE ruleset = 'dandong-2026' AND category = 'administrative_penalty' AND severity = 'serious'" >/dev/null 2>&1
ok $? "an administrator connected to the coordinator changes a rule of the copied ruleset (written on every node)"
[ "$(q 0 "SELECT count(DISTINCT result) || ':' || min(result) FROM run_command_on_placements('credit.publicity_rule',
          \$\$SELECT max_period FROM %s WHERE ruleset = 'dandong-2026' AND category = 'administrative_penalty' AND severity = 'serious'\$\$)")" = "1:2 years" ]
ok $? "... every placement has the change"
r=$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U reader_clerk -d $db \
    -c "UPDATE credit.publicity_rule SET max_period = '4 years' WHERE ruleset = 'dandong-2026' AND severity = 'serious'" 2>&1)
case $r in *"permission denied"*) r=0 ;; *) r=1 ;; esac
ok $r "... a reader may not"

# a holiday added on the coordinator: every node's cache follows, in sessions already open
hol=2026-12-02
sess=$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U postgres -d $db \
    -c "SELECT string_agg(DISTINCT credit.add_working_days(DATE '2026-12-01', 1)::text, ',') FROM penalty" \
    -c "SELECT credit.add_working_days(DATE '2026-12-01', 1)" \
    -c "INSERT INTO credit.calendar VALUES ('$hol', 'holiday', 'citus test')" \
    -c "SELECT string_agg(DISTINCT credit.add_working_days(DATE '2026-12-01', 1)::text, ',') FROM penalty" \
    -c "SELECT credit.add_working_days(DATE '2026-12-01', 1)" 2>&1 | paste -sd' ')
[ "$sess" = "2026-12-02 2026-12-02 2026-12-03 2026-12-03" ]
ok $? "a holiday inserted on the coordinator moves add_working_days at once, on the workers' shards and on the coordinator, in the same sessions ($sess)"
[ "$(q 0 "SELECT string_agg(result, ',') FROM run_command_on_workers(
          \$\$SELECT count(*) FROM credit.audit_log WHERE table_name = 'calendar' AND new_row->>'day' = '$hol'\$\$)")" = "1,1" ] &&
[ "$(q 0 "SELECT count(*) FROM credit.audit_log WHERE table_name = 'calendar' AND new_row->>'day' = '$hol'")" = 1 ]
ok $? "... logged once on each node, under the logical name credit.calendar (not the shard's)"
r=$(q 0 "UPDATE credit.calendar SET name = 'x' WHERE builtin AND day = (SELECT min(day) FROM credit.calendar WHERE builtin)" 2>&1)
case $r in *"cannot update a builtin row"*) r=0 ;; *) r=1 ;; esac
ok $r "the builtin rows stay protected on the reference table"
for i in 1 2; do q $i "SELECT credit.add_working_days(DATE '2026-12-01', 1)"; done | paste -sd, | grep -qx '2026-12-03,2026-12-03'
ok $? "a new session on each worker reads the holiday too"

r=$(q 1 "UPDATE credit.calendar SET name = 'x' WHERE day = (SELECT min(day) FROM credit.calendar WHERE builtin)" 2>&1)
case $r in *"cannot update a builtin row of credit.calendar"|*"cannot update a builtin row of credit.calendar"$'\n'*) r=0 ;; *) r=1 ;; esac
ok $r "... also written through a worker, and the message names credit.calendar, not its shard"

# the data tables stay on the coordinator and keep working with the reference tables
q 0 "INSERT INTO credit.subject (subject_id, uscc, name) VALUES (1, '$code', 'org 217');
     INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset)
     VALUES (1, 1, 'administrative_penalty', 'general', '丹东市市场监督管理局', '2026-03-02', 'dandong-2026')" >/dev/null &&
[ "$(q 0 "SELECT concat_ws('/', publicity_starts, publicity_min_end, publicity_max_end) FROM credit.record WHERE record_id = 1")" = "$want" ]
ok $? "a record on the coordinator gets the copied ruleset's periods (its foreign key to the reference table holds)"

# a node added later gets the reference tables, builtin rows included
start_node 3
q 3 "CREATE DATABASE $db" postgres >/dev/null && q 3 "CREATE EXTENSION citus; CREATE EXTENSION credit" >/dev/null &&
q 0 "SELECT citus_add_node('127.0.0.1', ${ports[3]})" >/dev/null
ok $? "a third worker with citus and credit, added with citus_add_node"
q 0 "SELECT replicate_reference_tables(shard_transfer_mode => 'block_writes')" >/dev/null 2>&1
r=$(q 0 "SELECT count(DISTINCT result) || ':' || min(result) || ':' || count(*) FROM run_command_on_placements('credit.calendar',
         'SELECT count(*) || ''/'' || count(*) FILTER (WHERE builtin) FROM %s')")
[ "$r" = "1:$(q 0 "SELECT count(*) || '/' || count(*) FILTER (WHERE builtin) FROM credit.calendar"):4" ]
ok $? "... replicate_reference_tables(block_writes) copies the configuration there, the builtin rows included ($r)"
[ "$(q 3 "SELECT credit.add_working_days(DATE '2026-12-01', 1)")" = 2026-12-03 ]
ok $? "... and the new node reads it (the holiday added before it joined)"

# ---- the whole schema distributed (credit.distribute) ------------------------
# The same generated data in a single-node database (credit_single, Citus not
# created there) and in the cluster's database, which then distributes it.
gen="
INSERT INTO credit.subject (subject_id, uscc, name, registered_by)
SELECT 1000 + g, (b || credit.uscc_check_char(b))::credit.uscc, 'org ' || g, (ARRAY['局甲', '局乙'])[1 + g % 2]
FROM generate_series(1, 300) g,
     LATERAL (SELECT '91' || (ARRAY['1101', '3501', '2106', '5101'])[1 + g % 4] || '00MB' || lpad(g::text, 7, '0') AS b) s;
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, corrected_on)
SELECT 1000 + g, 1001 + (g * 7) % 300,
       (ARRAY['administrative_penalty', 'serious_dishonesty_list', 'abnormal_operations'])[1 + g % 3],
       CASE g % 3 WHEN 0 THEN (ARRAY['general', 'serious'])[1 + g % 2] WHEN 1 THEN 'serious' ELSE 'general' END,
       (ARRAY['局甲', '局乙'])[1 + g % 2], DATE '2025-01-01' + (g * 13) % 600,
       CASE WHEN g % 4 <> 1 THEN DATE '2025-01-06' + (g * 13) % 600 END
FROM generate_series(1, 500) g;
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours)
SELECT 1000 + g, k, DATE '2026-10-01', CASE WHEN k = 'training' THEN 3 END
FROM generate_series(1, 500, 3) g, unnest(ARRAY['training', 'credit_report', 'commitment', 'interview']) k;
INSERT INTO credit.indicator_value (period, subject_id, indicator, score)
SELECT DATE '2026-10-01', 1000 + g, i.indicator, ((g * 37 + length(i.indicator) * 11) % 100)::float8
FROM generate_series(1, 300) g, credit.risk_indicator i
WHERE i.model = (SELECT m.model FROM credit.risk_model m WHERE m.is_default) AND (g + length(i.indicator)) % 7 <> 0;
INSERT INTO credit.subject (subject_id, rid, name, registered_by)
SELECT 2000 + g, (b || credit.rid_check_char(b))::credit.rid, '人' || g, '局甲'
FROM generate_series(1, 40) g, LATERAL (SELECT '110105' || (1950 + g)::text || '0101' || lpad(g::text, 3, '0') AS b) s;
INSERT INTO credit.subject_relation (subject_id, person_subject_id, role, valid_from, authority)
SELECT 1001 + (g * 11) % 300, 2001 + g % 40, 'legal_representative', DATE '2020-01-01', '局甲'
FROM generate_series(1, 60) g;
INSERT INTO credit.honour (subject_id, kind, authority, granted_on)
SELECT 1001 + (g * 13) % 300, 'tax_a', '局乙', DATE '2026-04-01' FROM generate_series(1, 30) g
WHERE NOT credit.black_listed(1001 + (g * 13) % 300, DATE '2026-04-01');
INSERT INTO credit.objection (record_id, raised_by, reason, raised_on)
SELECT 1000 + g, '当事人', '对认定事实有异议', DATE '2026-11-02' FROM generate_series(1, 500, 37) g;
INSERT INTO credit.commitment_matter (matter, name) VALUES ('license.food', '食品经营许可');
SELECT setval('credit.record_record_id_seq', 5000), setval('credit.subject_subject_id_seq', 5000);"
q 0 "CREATE DATABASE credit_single" postgres >/dev/null &&
q 0 "CREATE EXTENSION credit; $gen" credit_single >/dev/null && q 0 "$gen" >/dev/null
ok $? "the same 300 organisations, 500 records (corrections, repair evidence, objections) and their October scores on one node and in the cluster's database"

r=$(q 0 "SELECT * FROM credit.distribute(0)" 2>&1)
case $r in *"shard_count must be at least 1, not 0"*) r=0 ;; *) r=1 ;; esac
ok $r "credit.distribute(0) is refused"
r=$(q 0 "SET client_min_messages = warning;
         SELECT string_agg(DISTINCT kind, ',' ORDER BY kind) || ':' || count(*) FILTER (WHERE converted)
                || ':' || count(*) FILTER (WHERE NOT converted) FROM credit.distribute(6)" 2>&1)
[ "$r" = "distributed,distributed by code:$(( $(q 0 "SELECT count(*) FROM credit.data_tables()") + 2 )):0" ]
ok $? "credit.distribute(6) distributes the data tables and the codes' lookups ($r)"
[ "$(q 0 "SELECT count(DISTINCT p.colocationid) || ':' || min(p.partmethod) || ':' || count(*)
          FROM pg_dist_partition p JOIN credit.data_tables() t ON t = p.logicalrelid")" = \
  "1:h:$(q 0 "SELECT count(*) FROM credit.data_tables()")" ]
ok $? "... by subject_id, all co-located with credit.subject"
[ "$(q 0 "SELECT count(*) FROM credit.distribute()" 2>&1)" = "0" ]
ok $? "... and a second call converts nothing"
[ "$(q 0 "SELECT count(DISTINCT nodeport) FROM pg_dist_placement JOIN pg_dist_shard USING (shardid)
          JOIN pg_dist_node USING (groupid) WHERE logicalrelid = 'credit.record'::regclass")" -ge 2 ]
ok $? "credit.record's shards are on the workers"

# the same answers as one node
same() {    # same DESCRIPTION QUERY: the query's answer on one node and on the cluster
    local l d
    l=$(q 0 "$2" credit_single 2>&1); d=$(q 0 "$2" 2>&1)
    if [ -n "$d" ] && [ "$d" = "$l" ]; then ok 0 "$1"; else
        ok 1 "$1"; echo "# one node: ${l:0:300}"; echo "# cluster:  ${d:0:300}"; fi
}
same "every record's publicity window, as the triggers on the shards computed it" \
     "SELECT md5(string_agg(concat_ws('/', record_id, publicity_starts, publicity_min_end, publicity_max_end), ',' ORDER BY record_id))
      FROM credit.record WHERE record_id >= 1000"
for i in 0 1; do
    q 0 "SELECT credit.classify_period(DATE '2026-10-15')" $( [ $i = 0 ] && echo credit_single || echo $db ) >/dev/null || fails=$((fails + 1))
done
same "classify_period: the same classes, scores and caps" \
     "SELECT md5(string_agg(concat_ws('/', subject_id, model, round(score::numeric, 9), class, capped), ',' ORDER BY subject_id))
      FROM credit.classification WHERE period = '2026-10-01' AND subject_id >= 1000"
same "... and class_counts over them" \
     "SELECT credit.class_counts(class)::text FROM credit.classification WHERE period = '2026-10-01' AND subject_id >= 1000"
same "the public records view" \
     "SELECT md5(string_agg(concat_ws('/', record_id, category, disclosed_on, shown_until), ',' ORDER BY record_id))
      FROM credit.public_record WHERE record_id >= 1000"
same "the credit check of every organisation and person (records, honours, roles in organisations, suspensions)" \
     "SELECT md5(string_agg(concat_ws('/', s, c.measure, c.because_record_id, c.because_honour_id, c.via_subject_id,
                                      c.suspended, c.in_effect_until), ',' ORDER BY s, c.measure, c.because_record_id,
                                      c.because_honour_id, c.via_subject_id))
      FROM (SELECT generate_series(1001, 1300) UNION ALL SELECT generate_series(2001, 2040)) g(s),
           LATERAL credit.check(s, NULL, DATE '2026-11-30') c"
# (codes as a literal list: a query over credit.subject calling the check
# for each row would run the check inside the shards' queries, which Citus
# refuses: call it from the coordinator, subject by subject or from a list)
codes=$(q 0 "SELECT string_agg(quote_literal(uscc::text), ',' ORDER BY subject_id) FROM credit.subject
             WHERE subject_id BETWEEN 1001 AND 1300" credit_single)
same "... by code, and the verdicts" \
     "SELECT md5(string_agg(concat_ws('/', s.code, v.verdict, v.measures, v.reasons), ',' ORDER BY s.code))
      FROM unnest(ARRAY[$codes]::credit.uscc[]) s(code),
           LATERAL credit.check_summary(s.code, 'government_procurement', DATE '2026-11-30') v"
ids=$(q 0 "SELECT string_agg(subject_id::text, ',' ORDER BY subject_id) FROM credit.subject
           WHERE subject_id BETWEEN 1001 AND 1080 OR subject_id BETWEEN 2001 AND 2010" credit_single)
same "public_record_at of each subject (objections and repairs by the record's whole key)" \
     "SELECT md5(string_agg(concat_ws('/', s, p.record_id, p.under_repair, p.under_verification, p.shown_until), ','
                            ORDER BY s, p.record_id))
      FROM unnest(ARRAY[$ids]) s, LATERAL credit.public_record_at(DATE '2026-11-30', s) p"
same "credit_report of each subject (all but its time, number and digests)" \
     "SELECT md5(string_agg((credit.credit_report(s, DATE '2026-11-30') - 'generated_at' - 'report_no'
                             - 'audit_digest' - 'digest')::text, ',' ORDER BY s))
      FROM unnest(ARRAY[$ids]) s"
same "commitment_allowed for each subject" \
     "SELECT md5(string_agg(concat_ws('/', s, a.allowed, a.reasons, a.record_ids), ',' ORDER BY s))
      FROM unnest(ARRAY[$ids]) s, LATERAL credit.commitment_allowed(s, 'license.food', DATE '2026-11-30') a"
same "commitment_allowed_many of every subject (a join on each shard)" \
     "SELECT count(*) FILTER (WHERE NOT allowed) || ':' || md5(string_agg(concat_ws('/', subject_id, allowed, reasons, record_ids), ',' ORDER BY subject_id))
      FROM credit.commitment_allowed_many(NULL, 'license.food', DATE '2026-11-30') WHERE subject_id >= 1000"
same "... and of a list of subjects" \
     "SELECT md5(string_agg(concat_ws('/', subject_id, allowed, reasons, record_ids), ',' ORDER BY subject_id))
      FROM credit.commitment_allowed_many(ARRAY[$ids], 'license.food', DATE '2026-11-30')"
r=$(q 0 "SELECT classified_at FROM credit.classification WHERE subject_id = 1001 AND period = '2026-10-01'")
q 0 "SELECT credit.classify_period(DATE '2026-10-15')" >/dev/null &&
[ "$(q 0 "SELECT classified_at FROM credit.classification WHERE subject_id = 1001 AND period = '2026-10-01'")" = "$r" ]
ok $? "... re-run on the cluster, an unchanged month writes nothing"
r=$(q 0 "SELECT new_row->>'sha256' = (SELECT sha256 FROM credit.classification_month('2026-10-01'))
         FROM credit.audit_log WHERE table_name = 'classification' AND operation = 'RUN' ORDER BY log_id DESC LIMIT 1")
[ "$r" = t ]
ok $? "the run's logged digest is the month's, read from the shards"
q 0 "EXPLAIN (COSTS OFF) SELECT credit.class_counts(class) FROM credit.classification WHERE period = '2026-10-01'" |
    grep -q "Task Count: 6"
ok $? "class_counts runs on the 6 shards (EXPLAIN: Task Count: 6)"

# codes stay unique across the shards
r=$(q 0 "SELECT credit.register_subject(uscc => '$code', name => 'again')" 2>&1)
case $r in *"is already registered"*) r=0 ;; *) r=1 ;; esac
ok $r "register_subject refuses a code another shard's subject has"
code2=$(q 0 "SELECT '91350100MC0000001' || credit.uscc_check_char('91350100MC0000001')")
sid=$(q 0 "SELECT credit.register_subject(uscc => '$code2', name => 'new org')")
[ -n "$sid" ] && [ "$(q 0 "SELECT credit.subject_id_of('$code2'::credit.uscc)")" = "$sid" ] &&
[ "$(q 0 "SELECT count(*) FROM credit.subject WHERE uscc = '$code2'")" = 1 ]
ok $? "a new subject registered on the cluster is found by its code (subject $sid)"
q 0 "CREATE ROLE clerk LOGIN IN ROLE credit_operator; INSERT INTO credit.operator_authority VALUES ('clerk', '局甲')" >/dev/null
r=$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db \
        -c "INSERT INTO credit.subject (uscc, name) VALUES ('$code2', 'twice')" 2>&1)
case $r in *"registered with credit.register_subject"*) r=0 ;; *) r=1 ;; esac
ok $r "... a direct INSERT of a subject is refused on the cluster (it would bypass the codes' lookup)"

# relations and honours written after distributing: the guards run on the shards
per=$(q 0 "SELECT credit.register_subject(rid => ('11010519800101007' || credit.rid_check_char('11010519800101007'))::credit.rid, name => '新人')")
q 0 "SELECT credit.relate_subjects($sid, $per, 'principal', DATE '2026-01-05')" >/dev/null &&
[ "$(q 0 "SELECT count(*) FROM credit.subject_relation WHERE subject_id = $sid AND person_subject_id = $per")" = 1 ]
ok $? "relate_subjects links an organisation to a person on another shard (person $per)"
r=$(q 0 "SELECT credit.relate_subjects($sid, 1001, 'principal', DATE '2026-01-05')" 2>&1)
case $r in *"is not a natural person"*) r=0 ;; *) r=1 ;; esac
ok $r "... and refuses an organisation as the person"
r=$(q 0 "SET ROLE clerk; INSERT INTO credit.subject_relation (subject_id, person_subject_id, role, valid_from, authority)
         VALUES ($sid, $per, 'actual_controller', DATE '2026-01-05', '局甲')" 2>&1)
case $r in *"relations are added with credit.relate_subjects"*) r=0 ;; *) r=1 ;; esac
ok $r "... a direct INSERT of a relation is refused on the cluster (the person is out of the shard's reach)"
bl=$(q 0 "SELECT min(subject_id) FROM credit.record WHERE category = 'serious_dishonesty_list'
          AND credit.in_force(decided_on, publicity_max_end, state, repair_decided_on, revoked_on, current_date)")
r=$(q 0 "SET ROLE rules_clerk; INSERT INTO credit.honour (subject_id, kind, authority, granted_on) VALUES ($bl, 'tax_a', '局乙', current_date)" 2>&1)
case $r in *"cannot be granted an honour"*) r=0 ;; *) r=1 ;; esac
ok $r "a red-list honour for a black-listed subject is refused by the guard on its shard (subject $bl)"
q 0 "SET ROLE rules_clerk; INSERT INTO credit.honour (subject_id, kind, authority, granted_on) VALUES ($sid, 'tax_a', '局乙', current_date)" >/dev/null
ok $? "... and granted to a subject with no black-list record"

# row-level security for a clerk connected to the coordinator
want=$(q 0 "SELECT count(*) FROM credit.record WHERE authority = '局甲'")
r=$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db -c "SELECT count(*) FROM credit.record" 2>&1)
[ "$r" = "$want" ]
ok $? "a clerk mapped to one authority reads only its $want records (the policy runs on the shards) ($r)"
rid1=$(q 0 "SELECT min(record_id) FROM credit.record WHERE authority = '局乙' AND record_id >= 1000")
sid1=$(q 0 "SELECT subject_id FROM credit.record WHERE record_id = $rid1")
rid2=$(q 0 "SELECT min(record_id) FROM credit.record WHERE authority = '局甲' AND record_id >= 1000")
sid2=$(q 0 "SELECT subject_id FROM credit.record WHERE record_id = $rid2")
"$BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db \
    -c "INSERT INTO credit.repair_evidence (subject_id, record_id, kind) VALUES ($sid2, $rid2, 'interview')" >/dev/null &&
[ "$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db \
        -c "SELECT authority FROM credit.repair_evidence WHERE record_id = $rid2")" = 局甲 ]
ok $? "... adds evidence to its own authority's record (the shard's trigger fills the record's authority) and reads it"
r=$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db \
        -c "INSERT INTO credit.repair_evidence (subject_id, record_id, kind) VALUES ($sid1, $rid1, 'interview')" 2>&1)
case $r in *"row-level security"*) r=0 ;; *) r=1 ;; esac
ok $r "... and may not add evidence to another authority's record"
r=$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db -c "SELECT rid FROM credit.subject LIMIT 1" 2>&1)
case $r in *"permission denied"*) r=0 ;; *) r=1 ;; esac
ok $r "... nor read resident ID numbers (the coordinator checks the columns)"
[ "$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db -c "SELECT name FROM credit.subject WHERE subject_id = $sid1")" = \
  "$(q 0 "SELECT name FROM credit.subject WHERE subject_id = $sid1")" ]
ok $? "... but reads the subjects' other columns"
# a shard moved to another worker: Citus creates it with the coordinator table's table privileges,
# and operators hold column privileges on credit.subject there; setup_roles() gives them back
sh=$(q 0 "SELECT shardid FROM pg_dist_shard WHERE logicalrelid = 'credit.subject'::regclass ORDER BY shardid LIMIT 1")
from=$(q 0 "SELECT nodeport FROM pg_dist_placement JOIN pg_dist_node USING (groupid) WHERE shardid = $sh")
to=$(q 0 "SELECT nodeport FROM pg_dist_node WHERE groupid > 0 AND nodeport <> $from ORDER BY nodeport LIMIT 1")
q 0 "SELECT citus_move_shard_placement($sh, '127.0.0.1', $from, '127.0.0.1', $to, shard_transfer_mode => 'block_writes')" >/dev/null
ok $? "a shard of credit.subject (and its co-located shards) moved from :$from to :$to"
clerk_subjects() {
    "$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db -c "SELECT count(name) FROM credit.subject" 2>&1
}
before=$(clerk_subjects)
q 0 "SELECT credit.setup_roles()" >/dev/null
[ "$(clerk_subjects)" = "$(q 0 "SELECT count(*) FROM credit.subject")" ]
ok $? "... after setup_roles() the clerk reads every subject's name again (before it: ${before:0:60})"

# repair: the eligibility is worked out on the workers, next to the records
all=$(q 0 "SELECT string_agg(record_id::text, ',' ORDER BY record_id) FROM credit.record" credit_single)
elig() {    # elig DAY: every answer of repair_eligibility_many on DAY, digested
    echo "SELECT count(*) FILTER (WHERE eligible) || ':' || md5(string_agg(concat_ws('/', record_id, eligible, earliest_on, reasons), ',' ORDER BY record_id))
          FROM credit.repair_eligibility_many(NULL, DATE '$1') WHERE record_id >= 1000"
}
for day in 2026-01-15 2026-11-30 2027-06-30; do
    same "repair_eligibility_many(NULL) on $day: every record's answer, each worked out on its worker ($(q 0 "$(elig $day)" credit_single | cut -d: -f1) eligible)" "$(elig $day)"
done
same "repair_eligibility of each record, one at a time (each routed to its record's shard)" \
     "SELECT md5(string_agg(concat_ws('/', r, e.eligible, e.earliest_on, e.reasons), ',' ORDER BY r))
      FROM unnest(ARRAY[$all]::bigint[]) r, LATERAL credit.repair_eligibility(r, DATE '2026-11-30') e"
same "repair_eligibility_many of a list, only the eligible" \
     "SELECT string_agg(record_id::text, ',' ORDER BY record_id)
      FROM credit.repair_eligibility_many(ARRAY[$all]::bigint[], DATE '2026-11-30', true)"
same "the repair_candidate view" \
     "SELECT count(*) || ':' || md5(string_agg(concat_ws('/', c.record_id, c.subject_id, c.uscc, c.category, c.severity,
                                       c.ruleset, c.authority, c.decided_on, c.repairable_since, c.shown_until, c.under_repair),
                              ',' ORDER BY c.record_id))
      FROM credit.repair_candidate c"
same "sanction_active of each record" \
     "SELECT md5(string_agg(concat_ws('/', r, credit.sanction_active(r, DATE '2026-11-30')), ',' ORDER BY r))
      FROM unnest(ARRAY[$all]::bigint[]) r"
r=$(q 0 "SELECT * FROM credit.repair_eligibility(987654)" 2>&1)
case $r in *"record 987654 does not exist"*) r=0 ;; *) r=1 ;; esac
ok $r "repair_eligibility of an unknown record: does not exist"
# the whole workflow on a record, the same steps in both databases: submitted,
# accepted (eligible that day), noticed, approved (eligible again), processed
pick=$(q 0 "SELECT a.record_id FROM credit.repair_eligibility_many(NULL, current_date - 28, true) a
            JOIN credit.repair_eligibility_many(NULL, current_date - 4, true) b USING (record_id)
            JOIN credit.record r USING (record_id)
            WHERE EXISTS (SELECT 1 FROM credit.record o WHERE o.subject_id = r.subject_id AND o.record_id <> r.record_id
                            AND o.category = r.category)
            ORDER BY a.record_id LIMIT 1" credit_single)
psid=$(q 0 "SELECT subject_id FROM credit.record WHERE record_id = $pick" credit_single)
flow="INSERT INTO credit.repair_application (subject_id, record_id, applicant, submitted_on)
      VALUES ($psid, $pick, '当事人', current_date - 29);
      UPDATE credit.repair_application SET state = 'accepted', accepted_on = current_date - 28 WHERE subject_id = $psid AND record_id = $pick;
      UPDATE credit.repair_application SET state = 'noticed', noticed_on = current_date - 27 WHERE subject_id = $psid AND record_id = $pick;
      UPDATE credit.repair_application SET state = 'approved', decided_on = current_date - 4 WHERE subject_id = $psid AND record_id = $pick;
      UPDATE credit.repair_application SET state = 'processed', processed_on = current_date - 3 WHERE subject_id = $psid AND record_id = $pick;"
r=$(q 0 "$flow" credit_single 2>&1) && r=$(q 0 "$flow" 2>&1)
ok $? "the repair workflow on record $pick of subject $psid, through the coordinator (the guard's eligibility checks on its worker) ${r:0:200}"
same "... leaves the record repaired as on one node" \
     "SELECT concat_ws('/', r.state, r.repair_decided_on,
                      (SELECT string_agg(concat_ws(':', a.state, a.accepted_on, a.notice_last_day, a.decided_on, a.processed_on,
                                                   -- (the cluster's calendar has a holiday more: the deadline by its own)
                                                   a.processing_deadline = credit.add_working_days(a.decided_on, rs.processing_working_days)), ',')
                       FROM credit.repair_application a WHERE a.subject_id = $psid))
      FROM credit.record r JOIN credit.ruleset rs USING (ruleset) WHERE r.subject_id = $psid AND r.record_id = $pick"
same "... and the subject's other records see the repair (same-type window, earliest dates)" \
     "SELECT string_agg(concat_ws('/', e.record_id, e.eligible, e.earliest_on, e.reasons), ',' ORDER BY e.record_id)
      FROM credit.repair_eligibility_many(ARRAY[$(q 0 "SELECT string_agg(record_id::text, ',') FROM credit.record WHERE subject_id = $psid" credit_single)]::bigint[], current_date) e"
r=$(q 0 "UPDATE credit.repair_application SET state = 'accepted' WHERE subject_id = $psid AND record_id = $pick" 2>&1)
case $r in *'cannot go from "processed" to "accepted"'*) r=0 ;; *) r=1 ;; esac
ok $r "... and a processed application stays processed (the guard on the shard)"
app=$(q 0 "SELECT r.record_id FROM credit.record r WHERE r.state = 'published' AND r.corrected_on IS NULL
           AND r.publicity_starts <= current_date - 29 ORDER BY r.record_id LIMIT 1")
asid=$(q 0 "SELECT subject_id FROM credit.record WHERE record_id = $app")
q 0 "INSERT INTO credit.repair_application (subject_id, record_id, applicant, submitted_on) VALUES ($asid, $app, '当事人', current_date - 1)" >/dev/null
r=$(q 0 "UPDATE credit.repair_application SET state = 'accepted', accepted_on = current_date WHERE subject_id = $asid AND record_id = $app" 2>&1)
case $r in *"is not eligible for repair"*not_corrected*) r=0 ;; *) r=1 ;; esac
ok $r "... accepting an application for a record not corrected is refused with the reasons, on the cluster"
# who may ask, on the cluster: what the caller may see goes to the workers with
# the query (two records not public before tomorrow, of each authority)
hid=$(q 0 "INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, disclosed_on)
           VALUES ($sid1, 'administrative_penalty', 'general', '局乙', current_date - 10, current_date + 1) RETURNING record_id")
q 0 "INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, disclosed_on)
     VALUES ($sid2, 'administrative_penalty', 'general', '局甲', current_date - 10, current_date + 1)" >/dev/null
want=$(q 0 "SELECT string_agg(record_id::text, ',' ORDER BY record_id) FROM credit.record
            WHERE authority = '局甲' OR (state IN ('published', 'under_repair') AND publicity_starts <= current_date
                                         AND (publicity_max_end IS NULL OR current_date < publicity_max_end))")
r=$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db \
        -c "SELECT string_agg(record_id::text, ',' ORDER BY record_id) FROM credit.repair_eligibility_many(NULL)" 2>&1)
[ "$r" = "$want" ] && [ "$(q 0 "SELECT count(*) FROM credit.record")" -gt "$(echo "$r" | tr ',' '\n' | wc -l)" ]
ok $? "a clerk's repair_eligibility_many: the records public today and its authority's hidden ones ($(echo "$r" | tr ',' '\n' | wc -l) records)"
r=$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db -c "SELECT * FROM credit.repair_eligibility($hid)" 2>&1)
case $r in *"record $hid does not exist"*) r=0 ;; *) r=1 ;; esac
ok $r "... another authority's hidden record does not exist for it"
r=$("$BINDIR/psql" -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U clerk -d $db \
        -c "SELECT credit.repair_eligibility_local($sid1, $rid1, current_date, current_date, true, NULL, false)" 2>&1)
case $r in *"permission denied"*) r=0 ;; *) r=1 ;; esac
ok $r "... nor may it call the workers' form, which trusts what it is told the caller sees"

# a record written after distributing is logged on the node that holds it
q 0 "INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
     VALUES ($sid, 'administrative_penalty', 'general', '局甲', DATE '2026-11-02')" >/dev/null
[ "$(q 0 "SELECT sum(result::int) FROM run_command_on_workers(
          \$\$SELECT count(*) FROM credit.audit_log WHERE table_name = 'record' AND new_row->>'subject_id' = '$sid'\$\$)")" = 1 ]
ok $? "a record inserted through the coordinator is logged once, on its shard's worker, under credit.record"

# audit per node: each node seals its own log; the cluster's digest combines them
q 0 "SELECT count(*) FROM run_command_on_all_nodes('SELECT count(*) FROM credit.audit_seal()') WHERE success" | grep -qx 4
ok $? "credit.audit_seal() on each of the four nodes"
r=$(q 0 "SELECT digest || ' ' || nodes::text FROM credit.audit_digest_cluster()" 2>&1)
lines=""; fine=0
while IFS='|' read -r g node; do
    i=0; for k in 0 1 2 3; do [ "127.0.0.1:${ports[$k]}" = "$node" ] && i=$k; done
    d=$(q $i "SELECT credit.audit_digest()")
    if [ -n "$d" ]; then    # (a node that has logged nothing has sealed nothing: no digest)
        [ "$(q $i "SELECT ok FROM credit.audit_verify('$d')")" = t ] || fine=1
        case $r in *"\"$node\": \"$d\""*) ;; *) fine=1 ;; esac
    else
        [ "$(q $i "SELECT count(*) FROM credit.audit_log")" = 0 ] || fine=1
        case $r in *"\"$node\": null"*) ;; *) fine=1 ;; esac
    fi
    lines+="$g $node ${d:--}"$'\n'
done < <(q 0 "SELECT groupid, nodename || ':' || nodeport FROM pg_dist_node ORDER BY groupid, nodename || ':' || nodeport")
[ $fine = 0 ]
ok $? "audit_digest_cluster() lists each node's own digest, and each node verifies its log against it"
[ "${r%% *}" = "$(printf '%s' "${lines%$'\n'}" | sha256sum | cut -d' ' -f1)" ]
ok $? "... and its digest is the SHA-256 over the lines 'groupid host:port digest' (${r:0:16}…)"
[ "$(q 0 "SELECT (credit.audit_digest_cluster()).digest" 2>&1)" = "${r%% *}" ]
ok $? "... the same on a second call with nothing new sealed"

echo "1..$n"
[ $fails = 0 ]
