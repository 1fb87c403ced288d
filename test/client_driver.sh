#!/usr/bin/env bash
# A real client (TAP): psycopg2 does the most basic lookup an application
# makes, WHERE code = %s, before and after credit.configure_database() (see
# test/client/psycopg2_lookup.py).  Runs against the cluster of scripts/pgtmp.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import psycopg2' 2>/dev/null; then
    echo "1..0 # SKIP psycopg2 is not installed (Debian: python3-psycopg2; make test installs it)"
    exit 0
fi
db=credit_client
psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
CREATE EXTENSION credit;
INSERT INTO credit.subject (uscc, name) VALUES ('91350100M000100Y43', '福州甲公司');
-- enough rows for the planner to prefer the index
INSERT INTO credit.subject (uscc, name)
SELECT (b || credit.uscc_check_char(b))::credit.uscc, 'org ' || g
FROM generate_series(1, 5000) g, LATERAL (SELECT '913501' || lpad((g % 100)::text, 2, '0') || 'MA' || lpad(g::text, 7, '0') AS b) s;
ANALYZE credit.subject;
SQL
/usr/bin/python3 test/client/psycopg2_lookup.py "host=$PGHOST port=$PGPORT user=${PGUSER:-postgres} dbname=$db" 91350100M000100Y43
rc=$?
psql -X -q -c "DROP DATABASE $db" >/dev/null
exit $rc
