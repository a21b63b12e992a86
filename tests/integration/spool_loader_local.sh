#!/bin/bash
# spool_loader_local.sh: spool-loader to a local destination: the partition
# holds exactly the valid lines (with ,wrk_date) once; a rerun loads nothing
# new; --replace rebuilds identical bytes; too many rejects store nothing
# (exit 3); a load killed with SIGKILL at random points and rerun ends with
# exactly the valid lines once; SIGTERM commits what is done.
. "$ROOT/tests/tools/testlib.sh"
L=$BIN/loggen; S=$BIN/spool-loader
D=20160101
part_dir=dest/wrk_date=$D
parts() { ls "$1" | grep -E '^car-batch-log\.[0-9]+\.log$' | sort -t. -k2 -n | sed "s|^|$1/|"; }
content() { local p; p=$(parts "$1"); [ -n "$p" ] && cat $p; }
mkdir -p spool orig dest
$L status --date $D --cars 4 --seed 9 --out orig --garbage-ratio 0.01 >/dev/null 2>&1 || fail loggen
$L driver --date $D --cars 2 --seed 9 --out orig/SmartCarDriverInfo.log --garbage-ratio 0.01 >/dev/null 2>&1 || fail loggen driver
for f in orig/*; do grep -aE '^[0-9]{14}' "$f" | sed "s/\$/,$D/"; done > expected
cp orig/* spool/
: > spool/.hidden-partial
: > spool/growing.tmp

note "first load"
$S --spool spool --dest dest --wrk-date $D --roll-size 1M --settle 0 >r1.json 2>r1.log || fail "load: $(cat r1.log)"
cmp -s expected <(content $part_dir) || fail "partition differs from the valid lines"
[ -f $part_dir/_SUCCESS ] || fail "no _SUCCESS"
[ "$(parts $part_dir | wc -l)" -ge 5 ] || fail "no rolling at 1M"
for p in $(parts $part_dir); do [ "$(stat -c %s "$p")" -le 1048576 ] || fail "$p over the roll size"; done
[ -z "$(ls spool | grep -v -e growing.tmp)" ] || fail "sources not deleted: $(ls spool)"
[ -f spool/.hidden-partial ] && [ -f spool/growing.tmp ] || fail "hidden/temporary files touched"
ls $part_dir | grep -q '^_tmp' && fail "staging left behind"
rej=$(sed 's/.*"records_rejected":\([0-9]*\).*/\1/' r1.json)
exp_rej=$(cat orig/* | grep -avcE '^[0-9]{14}')
assert_eq "$exp_rej" "$rej" "rejected count"
assert_eq "$exp_rej" "$(cat dest/_rejects/wrk_date=$D/* | grep -ac $'\t')" "lines in _rejects"
grep -q $'\tpattern\t' dest/_rejects/wrk_date=$D/rejects.1.log || fail "reject reason missing"

note "second run with the same files: nothing new"
cp orig/* spool/
$S --spool spool --dest dest --wrk-date $D --settle 0 >r2.json 2>r2.log || fail "rerun: $(cat r2.log)"
grep -q '"sources_loaded":0' r2.json || fail "rerun loaded again: $(cat r2.json)"
grep -q '"sources_skipped":2' r2.json || fail "rerun skipped: $(cat r2.json)"
cmp -s expected <(content $part_dir) || fail "partition changed on rerun"
[ -z "$(ls spool | grep -v growing.tmp)" ] || fail "already-loaded sources not finished"

note "--replace rebuilds identical bytes"
before=$(content $part_dir | md5sum)
cp orig/* spool/
$S --spool spool --dest dest --wrk-date $D --roll-size 1M --settle 0 --replace --done rename >r3.json 2>r3.log || fail "replace: $(cat r3.log)"
assert_eq "$before" "$(content $part_dir | md5sum)" "replaced partition bytes"
ls dest | grep -q -e '^_old' -e '^_tmp' && fail "replace left $(ls dest)"
[ -f spool/SmartCarStatusInfo_$D.txt.COMPLETED ] || fail "--done rename"
[ -f $part_dir/_SUCCESS ] || fail "no _SUCCESS after replace"

note "reject ratio over the limit: exit 3, nothing stored"
mkdir -p spool2 dest2
printf 'garbage\n20160101000000,A0001,90,90,90,90,1,1,1,1,A,A,90\nmore garbage\n' > spool2/bad.txt
$S --spool spool2 --dest dest2 --wrk-date $D --settle 0 --max-reject-ratio 0.5 >r4.json 2>r4.log
assert_eq 3 $? "exit code over the reject ratio"
[ -f spool2/bad.txt ] || fail "source removed after a refused load"
[ -z "$(find dest2 -name 'car-batch-log*')" ] || fail "refused load stored parts"
ls dest2/_rejects/wrk_date=$D/refused.* >/dev/null 2>&1 || fail "refused lines not kept for inspection"
$S --spool spool2 --dest dest2 --wrk-date $D --settle 0 --max-reject-ratio 0.7 >/dev/null 2>&1 || fail "under the ratio"
assert_eq "20160101000000,A0001,90,90,90,90,1,1,1,1,A,A,90,$D" "$(content dest2/wrk_date=$D)" "small load"

note "a file modified within --settle seconds is left for later"
mkdir -p gspool gdest
printf '20160101000000,A0001,90,90,90,90,1,1,1,1,A,A,90\n' > gspool/fresh.txt
$S --spool gspool --dest gdest --wrk-date $D --settle 30 >g.json 2>g.log || fail "settle run: $(tail -3 g.log)"
grep -q '"sources_loaded":0' g.json || fail "a fresh file was loaded"
[ -f gspool/fresh.txt ] || fail "a fresh file was finished"
grep -q 'still being written' g.log || fail "skipping not logged"
touch -d '-1 minute' gspool/fresh.txt
$S --spool gspool --dest gdest --wrk-date $D --settle 30 >g.json 2>g.log || fail "settled run"
grep -q '"sources_loaded":1' g.json || fail "a settled file was not loaded"

note "usage errors"
$S --spool spool --dest dest --wrk-date 2016 >/dev/null 2>e.log; assert_eq 2 $? "bad date"
grep -q -- --wrk-date e.log || fail "error does not name the flag"
$S --spool spool --dest 'ftp://x/y' --wrk-date $D >/dev/null 2>e.log; assert_eq 2 $? "bad URI"
$S --spool spool --dest dest --wrk-date $D --roll-size 12Q >/dev/null 2>e.log; assert_eq 2 $? "bad size"
$S --spool nosuch --dest dest --wrk-date $D >/dev/null 2>e.log; assert_eq 2 $? "missing spool"

note "SIGKILL at random points, then rerun: exactly once"
mkdir -p kspool korig kdest
for day in 20160102 20160103 20160104 20160105; do
	$L status --date $day --cars 2 --seed 5 --out korig --garbage-ratio 0.005 >/dev/null 2>&1
done
cat korig/* | grep -aE '^[0-9]{14}' | sed "s/\$/,$D/" | sort > kexpected
cp korig/* kspool/
for i in 1 2 3 4 5 6; do
	$S --spool kspool --dest kdest --wrk-date $D --roll-size 300K --settle 0 >/dev/null 2>>kill.log &
	pid=$!
	sleep "0.0$((RANDOM % 9))$((RANDOM % 10))"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	# an interrupted --replace too, now and then
	if [ $i = 4 ]; then
		cp -n korig/* kspool/ 2>/dev/null
		$S --spool kspool --dest kdest --wrk-date $D --roll-size 300K --settle 0 --replace >/dev/null 2>>kill.log &
		pid=$!; sleep 0.05; kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
	fi
done
$S --spool kspool --dest kdest --wrk-date $D --roll-size 300K --settle 0 >kf.json 2>>kill.log || fail "final run: $(tail kill.log)"
# files the replace re-added that were already loaded are skipped, not reloaded
cmp -s kexpected <(content kdest/wrk_date=$D | sort) || fail "after kills: $(content kdest/wrk_date=$D | wc -l) lines, expected $(wc -l < kexpected)"
[ -z "$(ls kspool)" ] || fail "sources left after the final run: $(ls kspool)"
ls kdest/wrk_date=$D | grep -q '^_tmp' && fail "staging left after recovery"

note "SIGTERM between files commits what is done"
mkdir -p tspool tdest
for day in 20160106 20160107 20160108 20160109 20160110 20160111; do
	$L status --date $day --cars 6 --seed 5 --out tspool >/dev/null 2>&1
done
$S --spool tspool --dest tdest --wrk-date $D --settle 0 >t.json 2>t.log &
pid=$!; sleep 0.15; kill -TERM $pid; wait $pid; rc=$?
left=$(ls tspool | wc -l)
loaded=$(sed -n 's/.*"sources_loaded":\([0-9]*\).*/\1/p' t.json)
assert_eq 6 $((left + loaded)) "loaded + left after SIGTERM (rc=$rc)"
$S --spool tspool --dest tdest --wrk-date $D --settle 0 >/dev/null 2>>t.log || fail "rerun after SIGTERM"
assert_eq $((6 * 6 * 21600)) "$(content tdest/wrk_date=$D | wc -l)" "lines after SIGTERM and rerun"

note "SIGTERM during --replace keeps the old partition and the sources"
before=$(content tdest/wrk_date=$D | md5sum)
for day in 20160106 20160107 20160108 20160109 20160110 20160111 20160112 20160113 20160114 20160115; do
	$L status --date $day --cars 6 --seed 5 --out tspool >/dev/null 2>&1
done
# small parts (a create and an fsync each) keep this load running for a good
# while after its first file, however fast the disk and the filter are
$S --spool tspool --dest tdest --wrk-date $D --settle 0 --replace --roll-size 64K >t2.json 2>t2.log &
pid=$!
wait_for 10 grep -q 'source read' t2.log	# stop it once it is under way
kill -TERM $pid; wait $pid; rc=$?
assert_eq 1 $rc "exit of a stopped --replace"
grep -q 'old partition is kept' t2.log || fail "stopped --replace not reported: $(tail -2 t2.log)"
assert_eq 10 "$(ls tspool | wc -l)" "sources after a stopped --replace"
assert_eq "$before" "$(content tdest/wrk_date=$D | md5sum)" "partition after a stopped --replace"
ls tdest | grep -q -e '^_old' -e '^_tmp' && fail "stopped --replace left debris: $(ls tdest)"

note "crash states, built by hand: every step of a commit and of a swap"
mkdir -p cspool cdest
$L status --date 20160112 --cars 2 --seed 5 --out cspool >/dev/null 2>&1
cexp=$(grep -aE '^[0-9]{14}' cspool/* | sed "s/\$/,$D/" | md5sum)
cp cspool/* corig_file 2>/dev/null || cp cspool/SmartCarStatusInfo_20160112.txt corig_file
$S --spool cspool --dest cdest --wrk-date $D --roll-size 300K --settle 0 >/dev/null 2>&1 || fail "crash-state base load"
cp_=cdest/wrk_date=$D
stg=$(awk -F'\t' '$1 == "staging" {print $2}' $cp_/_MANIFEST.1)
[ -n "$stg" ] || fail "manifest has no staging line"
# 1. died after publishing the manifest, before moving any part, before deleting the source
mkdir $cp_/$stg && mv $cp_/car-batch-log.* $cp_/$stg/ && rm $cp_/_SUCCESS
cp corig_file cspool/SmartCarStatusInfo_20160112.txt
$S --spool cspool --dest cdest --wrk-date $D --settle 0 >c1.json 2>c1.log || fail "roll forward: $(tail -3 c1.log)"
grep -q 'finished a committed part' c1.log || fail "roll forward not logged"
grep -q '"sources_skipped":1' c1.json || fail "committed source was not recognised"
assert_eq "$cexp" "$(content $cp_ | md5sum)" "after roll forward"
[ -f $cp_/_SUCCESS ] && [ ! -e cspool/SmartCarStatusInfo_20160112.txt ] || fail "roll forward did not finish"
# 2. died half way through the part moves
mkdir $cp_/$stg && mv $(parts $cp_ | tail -n 2) $cp_/$stg/
$S --spool cspool --dest cdest --wrk-date $D --settle 0 >/dev/null 2>c2.log || fail "half moved: $(tail -3 c2.log)"
assert_eq "$cexp" "$(content $cp_ | md5sum)" "after half-moved parts"
# 3. died before the commit: an orphan staging dir and a half-written manifest
mkdir $cp_/_tmp.999-1 && echo junk > $cp_/_tmp.999-1/car-batch-log.99.log && echo junk > $cp_/_MANIFEST.2.tmp
$S --spool cspool --dest cdest --wrk-date $D --settle 0 >/dev/null 2>c3.log || fail "orphans: $(tail -3 c3.log)"
[ -e $cp_/_tmp.999-1 ] || [ -e $cp_/_MANIFEST.2.tmp ] && fail "orphans kept"
assert_eq "$cexp" "$(content $cp_ | md5sum)" "after orphans"
# 4. --replace died between its two renames: the new build is complete
mv $cp_ cdest/_old_wrk_date=$D.7-7 && cp -r cdest/_old_wrk_date=$D.7-7 cdest/_tmp_wrk_date=$D.7-7
$S --spool cspool --dest cdest --wrk-date $D --settle 0 >/dev/null 2>c4.log || fail "swap forward: $(tail -3 c4.log)"
grep -q 'completed an interrupted partition swap' c4.log || fail "swap completion not logged"
assert_eq "$cexp" "$(content $cp_ | md5sum)" "after completing a swap"
ls cdest | grep -q -e '^_old' -e '^_tmp' && fail "swap debris: $(ls cdest)"
# 5. --replace died after parking the old partition, before its build was complete
mv $cp_ cdest/_old_wrk_date=$D.8-8 && mkdir cdest/_tmp_wrk_date=$D.8-8
$S --spool cspool --dest cdest --wrk-date $D --settle 0 >/dev/null 2>c5.log || fail "swap back: $(tail -3 c5.log)"
grep -q 'undid an interrupted partition swap' c5.log || fail "swap undo not logged"
assert_eq "$cexp" "$(content $cp_ | md5sum)" "after undoing a swap"
ls cdest | grep -q -e '^_old' -e '^_tmp' && fail "swap debris: $(ls cdest)"
echo ok
