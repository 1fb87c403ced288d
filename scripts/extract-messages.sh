#!/usr/bin/env bash
# Print the message catalogue template (po/credit.pot): ereport() texts and
# CT_()/CTN_() strings of the C sources (xgettext), and the credit.tr('...')
# strings of the SQL sources (the messages the PL/pgSQL parts raise).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xgettext --language=C --from-code=UTF-8 --no-wrap --sort-by-file \
    --keyword=errmsg --keyword=errdetail --keyword=errhint --keyword=errcontext \
    --keyword=errmsg_plural:1,2 --keyword=errdetail_plural:1,2 \
    --keyword=CT_ --keyword=CTN_:1,2 --flag=CT_:1:c-format \
    --package-name=credit -o "$tmp/c.pot" src/*.c
sed -i 's/charset=CHARSET/charset=UTF-8/' "$tmp/c.pot"
perl -CSD -ne '
    while (/credit\.tr\(\x27((?:[^\x27]|\x27\x27)*)\x27\)/g) {
        my $m = $1; $m =~ s/\x27\x27/\x27/g; $m =~ s/\\/\\\\/g; $m =~ s/"/\\"/g;
        next if $seen{$m}++;
        print "#: $ARGV:$.\nmsgid \"$m\"\nmsgstr \"\"\n\n";
    }
    close ARGV if eof;' src/sql/*.sql > "$tmp/sql.po"
{ sed -n '1,/^$/p' "$tmp/c.pot"; cat "$tmp/sql.po"; } > "$tmp/sql.pot"
msgcat --no-wrap --use-first -o - "$tmp/c.pot" "$tmp/sql.pot"
