#!/bin/sh
# test/bench/sealer.sh INTERVAL|off: set the background sealer's interval on
# the bench cluster (ALTER SYSTEM + reload); the benchmarks run with it off,
# but for the audit trigger bench, which measures with the sealer at work.
set -e
case $1 in off) v=0 ;; *) v=$1 ;; esac
psql -X -q -c "ALTER SYSTEM SET credit.audit_seal_interval = '$v'" -c "SELECT pg_reload_conf()" >/dev/null
