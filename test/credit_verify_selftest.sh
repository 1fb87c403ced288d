#!/usr/bin/env bash
# credit-verify without a server (TAP): valid proofs written by
# test/unit/proof_fixture are accepted; each tampering is rejected (exit 1);
# malformed input and bad usage exit 2.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ ! -x ./credit-verify ] || [ ! -x test/unit/proof_fixture ]; then
    make --no-print-directory -s credit-verify test/unit/proof_fixture >/dev/null || { echo "Bail out! cannot build credit-verify"; exit 1; }
fi
work=$(mktemp -d /tmp/credit-verify.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }

# run credit-verify FILE DIGEST; want exit status $1 (and, for 0/1, the line's prefix)
expect() {
    local want=$1 what=$2; shift 2
    ./credit-verify "$@" >"$work/out" 2>"$work/err"; local rc=$?
    local line; line=$(cat "$work/out" "$work/err" | head -n 1)
    local good=1
    case $want in
        0) [ $rc -eq 0 ] && grep -q '^ok: ' "$work/out" && good=0 ;;
        1) [ $rc -eq 1 ] && grep -q '^rejected: ' "$work/out" && good=0 ;;
        2) [ $rc -eq 2 ] && [ ! -s "$work/out" ] && grep -q '^credit-verify: ' "$work/err" && good=0 ;;
    esac
    ok $good "$what (exit $rc: ${line:0:150})"
}

# flip the first hex digit of the Nth (default 1st) string value of KEY
flip() { # file key [nth] [offset in the value]
    perl -pe 'BEGIN { ($k, $nth, $off) = @ARGV[1..3]; splice @ARGV, 1 } $c = 0;
              s/("\Q$k\E": \[?")([0-9a-f]{$off})([0-9a-f])/++$c == $nth ? $1.$2.($3 eq "0" ? "1" : "0") : $1.$2.$3/ge' "$1" "$2" "${3:-1}" "${4:-0}"
}
digest_of() { sed 's/.*"digest": "\([^"]*\)".*/\1/' "$1"; }

for mode in v2 v1 mixed; do
    test/unit/proof_fixture $mode >"$work/$mode.json"
done
p=$work/v2.json
d=$(digest_of "$p")
[ "${d%%:*}" = 7 ]; ok $? "the fixture's proof ends at block 7 ($d)"

expect 0 "a valid proof (v2 block, 2-block chain) is accepted" "$p" "$d"
grep -q '^ok: log row 123 is leaf 4 of block 5, chained to 7:' "$work/out"; ok $? "... and says which row, leaf, block and digest"
expect 0 "the same proof from stdin" - "$d" <"$p"
expect 0 "a DIGEST in upper-case hex" "$p" "$(echo "$d" | tr a-f A-F)"
perl -pe 's/, /,\n  /g; s/": /"  :\t/g' "$p" >"$work/pretty.json"
expect 0 "other whitespace is accepted" "$work/pretty.json" "$d"
perl -pe 's/^\{("path": \[[^]]*\]), (.*)\}$/{$2, $1}/' "$p" >"$work/reordered.json"
expect 0 "other key order is accepted" "$work/reordered.json" "$d"
expect 0 "a v1 block 1 (prev_hash null), no chain" "$work/v1.json" "$(digest_of "$work/v1.json")"
expect 0 "a v1 block chained to a v1 block (v2 fields null) and a v2 block" "$work/mixed.json" "$(digest_of "$work/mixed.json")"

# tampering: exit 1
flip "$p" row_hash >"$work/t.json";           expect 1 "a flipped hex digit in row_hash" "$work/t.json" "$d"
flip "$p" row_hash 1 63 >"$work/t.json";      expect 1 "the last hex digit of row_hash flipped" "$work/t.json" "$d"
flip "$p" path >"$work/t.json";               expect 1 "a flipped hex digit in the path's first node" "$work/t.json" "$d"
perl -pe 's/("path": \["[0-9a-f]{64}", ")([0-9a-f])/$1.($2 eq "0" ? "1" : "0")/e' "$p" >"$work/t.json"
expect 1 "a flipped hex digit in the path's second node" "$work/t.json" "$d"
flip "$p" merkle_root >"$work/t.json";        expect 1 "a flipped hex digit in the block's merkle_root" "$work/t.json" "$d"
flip "$p" merkle_root 2 >"$work/t.json";      expect 1 "a flipped hex digit in chain[0]'s merkle_root" "$work/t.json" "$d"
flip "$p" prev_hash 1 >"$work/t.json";        expect 1 "a flipped hex digit in the block's prev_hash" "$work/t.json" "$d"
flip "$p" prev_hash 2 >"$work/t.json";        expect 1 "a flipped hex digit in chain[0]'s prev_hash" "$work/t.json" "$d"
grep -q 'chain\[0\] (block 6): block_hash' "$work/out"; ok $? "... reported as chain[0]'s hash not matching its fields"
flip "$p" prev_hash 3 >"$work/t.json";        expect 1 "a flipped hex digit in chain[1]'s prev_hash" "$work/t.json" "$d"
flip "$p" block_hash 1 >"$work/t.json";       expect 1 "a flipped hex digit in the block's block_hash" "$work/t.json" "$d"
flip "$p" block_hash 3 >"$work/t.json";       expect 1 "a flipped hex digit in the last block's block_hash" "$work/t.json" "$d"
expect 1 "a different DIGEST (same block, one hex digit)" "$p" "$(flip <(echo "{\"d\": \"${d#*:}\"}") d | sed 's/.*"d": "\([^"]*\)".*/7:\1/')"
expect 1 "a different DIGEST (an earlier block)" "$p" "6:$(sed 's/.*"block_id": 6, "prev_hash": "[^"]*", "row_count": 3, "sealed_at": [0-9]*, "block_hash": "\([^"]*\)".*/\1/' "$p")"
expect 1 "a different DIGEST (a later block id)" "$p" "8:${d#*:}"
perl -pe 's/("digest": "7:)([0-9a-f])/$1.($2 eq "0" ? "1" : "0")/e' "$p" >"$work/t.json"
expect 1 "the proof's own digest field differs from its last block" "$work/t.json" "$d"
sed 's/"leaf_index": 4/"leaf_index": 5/' "$p" >"$work/t.json";  expect 1 "another leaf_index" "$work/t.json" "$d"
sed 's/"leaf_index": 4/"leaf_index": 9/' "$p" >"$work/t.json";  expect 1 "leaf_index = tree_size" "$work/t.json" "$d"
sed 's/"leaf_index": 4/"leaf_index": -1/' "$p" >"$work/t.json"; expect 1 "a negative leaf_index" "$work/t.json" "$d"
sed 's/"tree_size": 9/"tree_size": 10/' "$p" >"$work/t.json";   expect 1 "tree_size is not the block's row_count" "$work/t.json" "$d"
sed 's/"tree_size": 9/"tree_size": 10/; s/"row_count": 9/"row_count": 10/' "$p" >"$work/t.json"
expect 1 "tree_size and row_count both changed (same walk for leaf 4): the block hash catches it" "$work/t.json" "$d"
sed 's/"high_log_id": 130/"high_log_id": 131/' "$p" >"$work/t.json"; expect 1 "high_log_id changed" "$work/t.json" "$d"
sed 's/"late_log_ids": \[101, 102\]/"late_log_ids": [101, 103]/' "$p" >"$work/t.json"; expect 1 "a late id changed" "$work/t.json" "$d"
sed 's/"late_log_ids": \[101, 102\]/"late_log_ids": [101]/' "$p" >"$work/t.json"; expect 1 "a late id dropped" "$work/t.json" "$d"
sed 's/"deferred_log_ids": \[125, 129\]/"deferred_log_ids": [129, 125]/' "$p" >"$work/t.json"; expect 1 "deferred ids reordered" "$work/t.json" "$d"
sed 's/"sealed_at": 849123456789012/"sealed_at": 849123456789013/' "$p" >"$work/t.json"; expect 1 "sealed_at changed" "$work/t.json" "$d"
sed 's/"hash_version": 2/"hash_version": 1/' "$p" >"$work/t.json"; expect 1 "the block claimed as hash_version 1" "$work/t.json" "$d"
sed 's/"log_id": 123/"log_id": 131/' "$p" >"$work/t.json"; expect 1 "log_id above the block's high_log_id" "$work/t.json" "$d"
sed 's/"log_id": 123/"log_id": 125/' "$p" >"$work/t.json"; expect 1 "log_id among the block's deferred ids" "$work/t.json" "$d"
perl -pe 's/("path": \["[0-9a-f]{64}"), "[0-9a-f]{64}"/$1/' "$p" >"$work/t.json"; expect 1 "a path node dropped" "$work/t.json" "$d"
perl -pe 's/("path": \[)("[0-9a-f]{64}")/$1$2, $2/' "$p" >"$work/t.json"; expect 1 "a path node repeated" "$work/t.json" "$d"
perl -pe 's/"block_id": 6/"block_id": 8/' "$p" >"$work/t.json"; expect 1 "a chain block id not consecutive" "$work/t.json" "$d"
perl -pe 's/"chain": \[(\{.*?\}), (\{.*?\})\]/"chain": [$2, $1]/' "$p" >"$work/t.json"; expect 1 "the chain's blocks swapped" "$work/t.json" "$d"
perl -pe 's/"chain": \[(\{.*?\}), (\{.*?\})\]/"chain": [$1]/' "$p" >"$work/t.json"
expect 1 "the chain cut short (the digest field still says block 7)" "$work/t.json" "$d"
perl -pe 's/("prev_hash": )"[0-9a-f]{64}"(, "row_count": 3)/$1null$2/' "$p" >"$work/t.json"; expect 1 "chain[0]'s prev_hash null" "$work/t.json" "$d"

# malformed: exit 2
head -c 300 "$p" >"$work/t.json";            expect 2 "truncated JSON" "$work/t.json" "$d"
head -c -2 "$p" >"$work/t.json";             expect 2 "JSON without its closing brace" "$work/t.json" "$d"
printf 'garbage\n' >"$work/t.json";          expect 2 "garbage" "$work/t.json" "$d"
head -c 2000 /dev/urandom >"$work/t.json";   expect 2 "random bytes" "$work/t.json" "$d"
: >"$work/t.json";                           expect 2 "an empty file" "$work/t.json" "$d"
echo '[1, 2]' >"$work/t.json";               expect 2 "an array, not an object" "$work/t.json" "$d"
(cat "$p"; echo '{}') >"$work/t.json";       expect 2 "a second value after the proof" "$work/t.json" "$d"
sed 's/"version": 1,/"version": 1, "version": 1,/' "$p" >"$work/t.json"; expect 2 "a duplicate key" "$work/t.json" "$d"
sed 's/"version": 1,/"version": 1, "extra": true,/' "$p" >"$work/t.json"; expect 2 "an unknown key" "$work/t.json" "$d"
sed 's/"version": 1/"version": 2/' "$p" >"$work/t.json";  expect 2 "an unsupported proof version" "$work/t.json" "$d"
sed 's/"hash_version": 2/"hash_version": 3/' "$p" >"$work/t.json"; expect 2 "an unsupported hash_version" "$work/t.json" "$d"
sed 's/"tree_size": 9/"tree_size": 9.0/' "$p" >"$work/t.json";  expect 2 "a fraction" "$work/t.json" "$d"
sed 's/"tree_size": 9/"tree_size": 99999999999999999999/' "$p" >"$work/t.json";  expect 2 "an integer beyond 64 bits" "$work/t.json" "$d"
sed 's/"tree_size": 9/"tree_size": 09/' "$p" >"$work/t.json";  expect 2 "a leading zero" "$work/t.json" "$d"
sed 's/"tree_size": 9/"tree_size": "9"/' "$p" >"$work/t.json";  expect 2 "a string for an integer" "$work/t.json" "$d"
perl -pe 's/("row_hash": ")([0-9a-f])/$1.uc("a")/e' "$p" >"$work/t.json"; expect 2 "an upper-case hex digit in a hash" "$work/t.json" "$d"
perl -pe 's/("row_hash": "[0-9a-f]{63})[0-9a-f]/$1/' "$p" >"$work/t.json"; expect 2 "a hash one digit short" "$work/t.json" "$d"
sed 's/"row_hash": "[0-9a-f]*"/"row_hash": null/' "$p" >"$work/t.json"; expect 2 "row_hash null" "$work/t.json" "$d"
sed 's/"high_log_id": 130, //' "$p" >"$work/t.json"; expect 2 "a v2 block without high_log_id" "$work/t.json" "$d"
sed 's/"late_log_ids": \[101, 102\]/"late_log_ids": [101, "102"]/' "$p" >"$work/t.json"; expect 2 "a late id as a string" "$work/t.json" "$d"
sed 's/"digest": "7:/"digest": "7-/' "$p" >"$work/t.json"; expect 2 "a malformed digest field" "$work/t.json" "$d"
sed 's/"log_id"/"log\\u005fid"/' "$p" >"$work/t.json"; expect 0 "an escaped key (\\u005f) is the same key" "$work/t.json" "$d"
sed 's/"log_id"/"log\\u0000id"/' "$p" >"$work/t.json"; expect 2 "\\u0000 in a key" "$work/t.json" "$d"
sed 's/"log_id"/"log\\ud800id"/' "$p" >"$work/t.json"; expect 2 "a lone surrogate escape" "$work/t.json" "$d"
printf '{"\xc3\x28": 1}' >"$work/t.json";   expect 2 "invalid UTF-8 in a key" "$work/t.json" "$d"
printf '{"a\tb": 1}' >"$work/t.json";       expect 2 "a raw tab in a string" "$work/t.json" "$d"
perl -e 'print "[" x 100000' >"$work/t.json"; expect 2 "100000 nested arrays" "$work/t.json" "$d"
perl -pe 's/"path": \[[^]]*\]/"path": [${\ join(", ", map { "\"" . ("0" x 64) . "\"" } 1..70)}]/' "$p" >"$work/t.json"
expect 1 "a 70-node path" "$work/t.json" "$d"
expect 2 "a missing file" "$work/nonexistent.json" "$d"
expect 2 "a malformed DIGEST argument" "$p" "7:xyz"
expect 2 "a DIGEST without a block id" "$p" "${d#*:}"
./credit-verify "$p" >/dev/null 2>&1; [ $? -eq 2 ]; ok $? "one argument: usage, exit 2"

echo "1..$n"
[ $fails -eq 0 ]
