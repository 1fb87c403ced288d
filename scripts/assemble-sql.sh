#!/usr/bin/env bash
# Assemble an extension script from parts (used by the Makefile, and to
# freeze a release): *.sql files are copied, *.csv calendar data becomes an
# INSERT, and a bare word T instantiates src/sql/ordered_type.sql.in for type T.
set -euo pipefail
for part in "$@"; do
    case $part in
        *.sql) cat "$part" ;;
        *.csv) echo "-- State Council holiday arrangements ($part; source NateScarlet/holiday-cn, MIT)"
               echo "INSERT INTO credit.calendar (day, kind, name, builtin) VALUES"
               awk -F, 'NR > 1 { gsub(/\047/, "\047\047", $3); printf "%s(\047%s\047, \047%s\047, \047%s\047, true)", sep, $1, $2, $3; sep = ",\n" } END { print ";" }' "$part" ;;
        *)     sed "s/@T@/$part/g" src/sql/ordered_type.sql.in ;;
    esac
    echo
done
