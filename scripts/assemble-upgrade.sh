#!/usr/bin/env bash
# Assemble an upgrade script from its template (src/upgrade/*.sql.in): lines
#
#   -- @include NAME
#
# are replaced by the statements of src/sql/*.sql that define NAME and say
# what it is -- "CREATE OR REPLACE FUNCTION NAME(" (every overload),
# "CREATE OR REPLACE VIEW NAME ", "CREATE TYPE NAME AS ", "COMMENT ON
# FUNCTION NAME(", "COMMENT ON VIEW NAME ", "COMMENT ON TYPE NAME ",
# "COMMENT ON COLUMN NAME.", "REVOKE EXECUTE ON FUNCTION NAME(" --
# so a function or view changed in a release is written once, in src/sql,
# and the upgrade script uses the same text.
# Everything else is copied.  Fails when an @include finds nothing.
set -euo pipefail
tmpl=$1
while IFS= read -r line; do
    case $line in
        '-- @file '*)
            cat "${line#-- @file }" ;;
        '-- @include '*)
            name=${line#-- @include }
            out=$(awk -v name="$name" '
                function starts(l) {
                    return index(l, "CREATE OR REPLACE FUNCTION " name "(") == 1 ||
                           index(l, "CREATE OR REPLACE VIEW " name " ") == 1 ||
                           index(l, "CREATE TYPE " name " AS ") == 1 ||
                           index(l, "COMMENT ON TYPE " name " ") == 1 ||
                           index(l, "COMMENT ON FUNCTION " name "(") == 1 ||
                           index(l, "COMMENT ON VIEW " name " ") == 1 ||
                           index(l, "COMMENT ON COLUMN " name ".") == 1 ||
                           index(l, "REVOKE EXECUTE ON FUNCTION " name "(") == 1
                }
                !inside && starts($0) { inside = 1; dollars = 0 }
                inside {
                    print
                    n = gsub(/\$\$/, "&"); dollars += n
                    if (dollars % 2 == 0 && $0 ~ /;[ \t]*$/) inside = 0
                }' src/sql/*.sql)
            if [ -z "$out" ]; then echo "assemble-upgrade: no CREATE OR REPLACE for $name in src/sql" >&2; exit 1; fi
            printf '%s\n' "$out" ;;
        *) printf '%s\n' "$line" ;;
    esac
done <"$tmpl"
