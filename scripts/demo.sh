#!/usr/bin/env bash
# The `make demo` tour: runs inside scripts/pgtmp.sh (a throwaway cluster).
# Creates database credit_demo, loads generated data and shows the extension
# at work.  Each part is a psql script under scripts/demo/.
set -euo pipefail
cd "$(dirname "$0")/demo"

psql -X -q -c 'CREATE DATABASE credit_demo' >/dev/null
export PGDATABASE=credit_demo
for part in [0-9]*.sql; do
    psql -X -q -v ON_ERROR_STOP=1 -v SHOW_CONTEXT=never -P footer=off -f "$part"
done
