#!/bin/bash
# loggen.sh: the generator's promises: the documented formats and counts,
# same bytes for the same seed whatever the thread count, car numbers shared
# by both logs, garbage lines that the ^\d{14} filter drops, atomic output,
# usage errors (exit 2), and realtime appending of whole lines until SIGTERM.
. "$ROOT/tests/tools/testlib.sh"
L=$BIN/loggen
mkdir -p a b c

note "status: format and counts"
$L status --date 20160101 --cars 3 --seed 42 --out a --threads 1 >a.json 2>a.log || fail "loggen status failed: $(cat a.log)"
f=a/SmartCarStatusInfo_20160101.txt
[ -f "$f" ] || fail "no status file"
[ -z "$(ls -A a | grep -v '^SmartCarStatusInfo_20160101.txt$')" ] || fail "temporary files left: $(ls -A a)"
assert_eq 3 "$(grep -c '^SmartCar Status Information,CarNum' "$f")" "header lines"
assert_eq 64800 "$(grep -cE '^[0-9]{14},' "$f")" "records (3 x 21600)"
assert_eq 0 "$(grep -E '^[0-9]{14},' "$f" | awk -F, 'NF != 13' | wc -l)" "lines without 13 fields"
assert_eq 20160101000000 "$(sed -n 2p "$f" | cut -d, -f1)" "first timestamp"
assert_eq 20160101235956 "$(grep -E '^[0-9]{14},' "$f" | cut -d, -f1 | sort | tail -n1)" "last timestamp"
grep -qE '^[0-9]{14},[A-Z]0001,([0-9]{1,3},){4}[12],[12],[12],[12],[ABC],[ABC],[0-9]{1,3}$' "$f" || fail "record shape"
bad=$(grep -E '^[0-9]{14},' "$f" | awk -F, '{for(i=3;i<=6;i++) if($i<0||$i>100) print; if($13<0||$13>100) print}' | wc -l)
assert_eq 0 "$bad" "values out of range"
grep -q '"records_written":64800' a.json || fail "result line: $(cat a.json)"

note "status: determinism across thread counts, seed changes the bytes"
$L status --date 20160101 --cars 3 --seed 42 --out b --threads 2 >/dev/null 2>&1 || fail "second run"
cmp -s "$f" b/SmartCarStatusInfo_20160101.txt || fail "same seed, different bytes with 2 threads"
$L status --date 20160101 --cars 3 --seed 43 --out c >/dev/null 2>&1 || fail "seed 43"
cmp -s "$f" c/SmartCarStatusInfo_20160101.txt && fail "different seeds gave the same bytes"

note "garbage lines are extra lines the filter drops; valid lines unchanged"
mkdir g
$L status --date 20160101 --cars 3 --seed 42 --out g --garbage-ratio 0.02 >g.json 2>/dev/null || fail "garbage run"
ng=$(sed 's/.*"garbage_written":\([0-9]*\).*/\1/' g.json)
[ "$ng" -gt 500 ] || fail "garbage count $ng"
cmp -s <(grep -aE '^[0-9]{14}' "$f") <(grep -aE '^[0-9]{14}' g/SmartCarStatusInfo_20160101.txt) || fail "garbage changed valid lines"
total=$(wc -l < g/SmartCarStatusInfo_20160101.txt)
assert_eq $((64800 + 3 + ng)) "$total" "lines with garbage"

note "driver log: 8 fields, same car numbers as the status log"
$L driver --date 20160101 --cars 3 --seed 42 --out d.log >d.json 2>/dev/null || fail "driver"
assert_eq $((3 * 43200)) "$(wc -l < d.log)" "driver records"
assert_eq 0 "$(awk -F, 'NF != 8' d.log | wc -l)" "driver lines without 8 fields"
grep -qE '^[0-9]{14},[A-Z][0-9]{4},[0-5],[0-3],(F|L[123]|R[123]),[NLR],[0-9]{1,3},[A-F](0[1-9]|10)$' d.log || fail "driver shape"
assert_eq "$(grep -E '^[0-9]{14}' "$f" | cut -d, -f2 | sort -u | tr '\n' ' ')" "$(cut -d, -f2 d.log | sort -u | tr '\n' ' ')" "car numbers"
[ "$(awk -F, '$7 > 250' d.log | wc -l)" = 0 ] || fail "speed over 250"

note "usage errors exit 2 and name the flag"
$L status --date 20161301 --cars 3 --out a >/dev/null 2>err.log; assert_eq 2 $? "bad date exit"
grep -q -- '--date' err.log || fail "error does not name --date: $(cat err.log)"
$L status --date 20160101 --cars 0 --out a >/dev/null 2>err.log; assert_eq 2 $? "bad cars exit"
$L status --date 20160101 --cars 3 --out nosuchdir >/dev/null 2>err.log; assert_eq 2 $? "missing dir exit"
$L fly >/dev/null 2>&1; assert_eq 2 $? "unknown mode exit"
mkdir -p outdir
$L driver --date 20160101 --cars 3 --out outdir >/dev/null 2>err.log; assert_eq 2 $? "driver --out DIR exit"
grep -q -- '--out: is a directory' err.log || fail "driver --out DIR: $(cat err.log)"
grep -q 'driver log written' err.log && fail "driver --out DIR says written: $(cat err.log)"
$L --help | grep -q 'loggen status' || fail "--help"

note "driver --realtime appends whole lines until SIGTERM"
$L driver --date 20160101 --cars 4 --seed 42 --out rt.log --realtime --speedup 200 >rt.json 2>rt.err &
pid=$!
has_lines() { [ -f rt.log ] && [ "$(wc -l < rt.log)" -ge 40 ]; }
wait_for 60 has_lines || fail "realtime wrote only $(wc -l < rt.log 2>/dev/null) lines in 60 s at 200x"
kill -TERM $pid
wait $pid; rc=$?
assert_eq 0 $rc "realtime exit after SIGTERM"
n=$(wc -l < rt.log)
[ "$n" -ge 40 ] || fail "realtime: $n lines after SIGTERM"
[ $((n % 4)) = 0 ] || fail "realtime stopped mid-round ($n lines)"
[ "$(tail -c1 rt.log | od -An -c | tr -d ' ')" = '\n' ] || fail "last line not whole"
# the realtime records are the batch ones for the same cars and seed
$L driver --date 20160101 --cars 4 --seed 42 --out d4.log >/dev/null 2>&1
cmp -s rt.log <(head -n "$n" d4.log) || fail "realtime records differ from the batch day"
echo ok
