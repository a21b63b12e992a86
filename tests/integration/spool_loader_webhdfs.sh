#!/bin/bash
# spool_loader_webhdfs.sh: spool-loader against the WebHDFS test server on
# loopback (NameNode + DataNode ports, docs/protocols.md §1): data goes through the
# 307 redirect to the DataNode (CREATE then APPEND), injected 500s and dropped
# connections are retried, RemoteException errors come out readable, a rerun
# loads nothing new, --replace gives identical bytes, SIGKILL + rerun is
# exactly once.
. "$ROOT/tests/tools/testlib.sh"
L=$BIN/loggen; S=$BIN/spool-loader; T=$ROOT/${BUILD:-build}/tests/webhdfs-testserver
D=20160101
export WEBHDFS_BACKOFF_MS=20
mkdir -p hdfs spool orig
$T --root hdfs --port-file nn.port --require-user 2>server.log &
on_exit "kill $!"
wait_for 5 test -s nn.port || fail "test server did not start"
P=$(cat nn.port)
ctl() { curl -sf "http://127.0.0.1:$P/control$1"; }
stat_of() { ctl /stats | awk -v k="$1 $2" '$1" "$2 == k {print $3}'; }
URI="webhdfs://127.0.0.1:$P/pilot-pjt/collect/car-batch-log?user=etl"
pdir=hdfs/pilot-pjt/collect/car-batch-log/wrk_date=$D
parts() { ls "$1" | grep -E '^car-batch-log\.[0-9]+\.log$' | sort -t. -k2 -n | sed "s|^|$1/|"; }
content() { local p; p=$(parts "$1"); [ -n "$p" ] && cat $p; }

$L status --date $D --cars 12 --seed 3 --out orig --garbage-ratio 0.01 >/dev/null 2>&1 || fail loggen
grep -aE '^[0-9]{14}' orig/* | sed "s/\$/,$D/" > expected
cp orig/* spool/

note "load with injected 500s and a dropped connection"
ctl "?fail=3" >/dev/null
$S --spool spool --dest "$URI" --wrk-date $D --roll-size 64M --settle 0 >r1.json 2>r1.log || fail "load: $(tail r1.log)"
ctl "?drop=0" >/dev/null
cmp -s expected <(content $pdir) || fail "partition differs from the valid lines"
[ -f $pdir/_SUCCESS ] || fail "no _SUCCESS"
grep -q 'http retry' r1.log || fail "no retry logged"
[ "$(stat_of dn CREATE)" -ge 1 ] || fail "no CREATE reached the DataNode"
[ "$(stat_of dn APPEND)" -ge 1 ] || fail "no APPEND reached the DataNode (12 MB in 4 MB pieces)"
[ -z "$(ls spool)" ] || fail "sources not deleted"

note "a stalled server times out and is retried"
mkdir -p tspool
$L status --date 20160120 --cars 1 --seed 3 --out tspool >/dev/null 2>&1
ctl "?delay_ms=2500&delay_count=1" >/dev/null
t0=$(date +%s)
$S --spool tspool --dest "webhdfs://127.0.0.1:$P/t?user=etl&timeout=1" --wrk-date $D --settle 0 >t.json 2>t.log || fail "load through a stall: $(tail -3 t.log)"
grep -q "too slow\|timed out\|Timeout" t.log || fail "no timeout logged: $(grep retry t.log)"
[ $(($(date +%s) - t0)) -lt 10 ] || fail "the stall took too long"
assert_eq 21600 "$(content hdfs/t/wrk_date=$D | wc -l)" "lines after the stall"

note "a rerun loads nothing new"
cp orig/* spool/
$S --spool spool --dest "$URI" --wrk-date $D --settle 0 >r2.json 2>r2.log || fail "rerun: $(tail r2.log)"
grep -q '"sources_loaded":0' r2.json || fail "rerun loaded again"
cmp -s expected <(content $pdir) || fail "partition changed on rerun"

note "--replace gives identical bytes, through dropped connections"
before=$(content $pdir | md5sum)
cp orig/* spool/
ctl "?drop=2" >/dev/null
$S --spool spool --dest "$URI" --wrk-date $D --roll-size 64M --settle 0 --replace >r3.json 2>r3.log || fail "replace: $(tail r3.log)"
assert_eq "$before" "$(content $pdir | md5sum)" "replaced partition"
ls hdfs/pilot-pjt/collect/car-batch-log | grep -q -e '^_old' -e '^_tmp' && fail "replace left debris"

note "errors: RemoteException message, server down"
mkdir -p hdfs/blocked && : > hdfs/blocked/wrk_date=$D; mkdir -p hdfs/blocked2; : > hdfs/blocked2/wrk_date
cp orig/* spool/
$S --spool spool --dest "webhdfs://127.0.0.1:$P/blocked?user=etl" --wrk-date $D --settle 0 >/dev/null 2>e1.log
assert_eq 1 $? "exit when the partition path is a file"
grep -q "exists and is not a directory" e1.log || fail "file in the way not reported: $(tail -3 e1.log)"
$S --spool spool --dest "webhdfs://127.0.0.1:$P/blocked2/wrk_date/sub?user=etl" --wrk-date $D --settle 0 >/dev/null 2>e1b.log
assert_eq 1 $? "exit when a parent is a file"
grep -q "HTTP 403 .*Exception" e1b.log || fail "RemoteException not shown: $(tail -3 e1b.log)"
[ -n "$(ls spool)" ] || fail "sources removed after a failed load"
$S --spool spool --dest "webhdfs://127.0.0.1:$P/x?user=etl&retries=5" --wrk-date $D --settle 0 >/dev/null 2>e2.log &
pid=$!
ctl "?fail=100" >/dev/null
wait $pid; rc=$?
ctl "?fail=0" >/dev/null
assert_eq 1 $rc "exit when every request fails"
grep -q 'HTTP 500' e2.log || fail "500 not reported: $(tail -3 e2.log)"
free=$(free_port)
$S --spool spool --dest "webhdfs://127.0.0.1:$free/x?user=etl&retries=1" --wrk-date $D --settle 0 >/dev/null 2>e3.log
assert_eq 1 $? "exit when nothing listens"
grep -q "127.0.0.1:$free" e3.log || fail "connection error does not name the server"
rm -f spool/*

note "SIGKILL at random points, then rerun: exactly once"
mkdir -p korig
for day in 20160102 20160103 20160104; do
	$L status --date $day --cars 2 --seed 5 --out korig --garbage-ratio 0.005 >/dev/null 2>&1
done
cat korig/* | grep -aE '^[0-9]{14}' | sed "s/\$/,20160105/" | sort > kexpected
cp korig/* spool/
KURI="webhdfs://127.0.0.1:$P/k?user=etl"
for i in 1 2 3 4; do
	$S --spool spool --dest "$KURI" --wrk-date 20160105 --roll-size 300K --settle 0 >/dev/null 2>>kill.log &
	pid=$!
	sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
done
$S --spool spool --dest "$KURI" --wrk-date 20160105 --roll-size 300K --settle 0 >/dev/null 2>>kill.log || fail "final run: $(tail kill.log)"
cmp -s kexpected <(content hdfs/k/wrk_date=20160105 | sort) || fail "after kills: $(content hdfs/k/wrk_date=20160105 | wc -l) lines, expected $(wc -l < kexpected)"
echo ok
