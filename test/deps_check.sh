#!/usr/bin/env bash
# The dependency checker (TAP): a pg_config whose server headers are missing
# must lead to the install step or to an exact message -- never to a
# compiler error.  Uses a fake pg_config that answers like the real one but
# points --includedir-server at an empty directory.
set -uo pipefail
cd "$(dirname "$0")/.."
real=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
work=$(mktemp -d /tmp/credit-deps.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }

mkdir -p "$work/include-empty" "$work/bin"
cat >"$work/bin/pg_config" <<FAKE
#!/bin/sh
case "\$1" in
    --includedir-server) echo "$work/include-empty" ;;
    *) exec "$real" "\$@" ;;
esac
FAKE
chmod +x "$work/bin/pg_config"
fake=$work/bin/pg_config

CREDIT_DEPS_DRY_RUN=1 PG_CONFIG=$real scripts/deps.sh >"$work/out" 2>&1
ok $? "the real installation has everything (deps.sh exits 0)"

CREDIT_DEPS_DRY_RUN=1 CREDIT_DEPS_ASSUME_DEBIAN=1 PG_CONFIG=$fake scripts/deps.sh >"$work/out" 2>&1
grep -q "would install .*postgresql-server-dev-$("$real" --version | sed 's/^PostgreSQL \([0-9]*\).*/\1/')" "$work/out"
ok $? "Debian's server without postgres.h: the server-dev package is installed ($(tail -n 1 "$work/out"))"

PG_CONFIG=$fake scripts/deps.sh >"$work/out" 2>&1; rc=$?
[ $rc -ne 0 ] && grep -q "server headers (postgres.h)" "$work/out"
ok $? "another server without postgres.h: deps.sh fails with an exact message"
grep -q "$work/include-empty/postgres.h" "$work/out"; ok $? "... naming the file it looked for"

env -u MAKEFLAGS -u MAKELEVEL make -s test PG_CONFIG=$fake >"$work/make.out" 2>&1; rc=$?
[ $rc -ne 0 ] && grep -q "server headers (postgres.h)" "$work/make.out" && ! grep -q "fatal error" "$work/make.out"
ok $? "make test with that pg_config stops at the message, not at a compiler error"

PG_CONFIG=$work/bin/none scripts/deps.sh >"$work/out" 2>&1; rc=$?
[ $rc -ne 0 ] && grep -q "not an executable pg_config" "$work/out"
ok $? "a PG_CONFIG that does not exist is named"

echo "1..$n"
[ $fails = 0 ]
