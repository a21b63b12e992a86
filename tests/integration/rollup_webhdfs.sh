#!/bin/bash
# rollup_webhdfs.sh: the status rollups through WebHDFS (the test server on
# loopback): a day loaded by spool-loader into HDFS, rolled up from HDFS into
# HDFS (with injected 500s, retried), then the week from the HDFS day sums;
# the outputs are the same bytes as the same rollups run on local files.
. "$ROOT/tests/tools/testlib.sh"
L=$BIN/loggen; S=$BIN/spool-loader; R=$BIN/rollup; T=$ROOT/${BUILD:-build}/tests/webhdfs-testserver
D=20210104
export WEBHDFS_BACKOFF_MS=20
mkdir -p hdfs spool
$T --root hdfs --port-file nn.port --require-user 2>server.log &
on_exit "kill $!"
wait_for 5 test -s nn.port || fail "test server did not start"
P=$(cat nn.port)
ctl() { curl -sf "http://127.0.0.1:$P/control$1"; }
SRC="webhdfs://127.0.0.1:$P/pilot-pjt/collect/car-batch-log?user=etl"
DST="webhdfs://127.0.0.1:$P/pilot-pjt/rollup?user=etl"
$L status --date $D --cars 6 --seed 4 --out spool --garbage-ratio 0.001 >/dev/null 2>&1 || fail loggen
$S --spool spool --dest "$SRC" --wrk-date $D --settle 0 --roll-size 1M >/dev/null 2>load.log || fail "load: $(tail -3 load.log)"

note "status-day and status-week over WebHDFS, with injected 500s"
ctl "?fail=2" >/dev/null
$R status-day --src "$SRC" --dest "$DST" --date $D >d.json 2>d.log || fail "status-day: $(tail -3 d.log)"
grep -q '"records":129600,"records_unparseable":0,"cars":6' d.json || fail "day counts: $(cat d.json)"
$R status-week --dest "$DST" --week 2021-W01 >w.json 2>w.log || fail "status-week: $(tail -3 w.log)"
grep -q '"days_present":1,"days_missing":6' w.json || fail "week counts: $(cat w.json)"
H=hdfs/pilot-pjt/rollup
[ -f $H/day/wrk_date=$D/_SUCCESS ] && [ -f $H/week/wrk_week=2021-W01/_SUCCESS ] || fail "no _SUCCESS in HDFS"
ls $H/day $H/week | grep -q -e '^_tmp' -e '^_old' && fail "leftovers in HDFS"

note "same bytes as the local rollups"
$R status-day --src hdfs/pilot-pjt/collect/car-batch-log --dest local --date $D >/dev/null 2>&1 || fail "local day"
$R status-week --dest local --week 2021-W01 >/dev/null 2>&1 || fail "local week"
for f in day/wrk_date=$D/part-00000.csv day/wrk_date=$D/_SUMS week/wrk_week=2021-W01/part-00000.csv week/wrk_week=2021-W01/_COVERAGE; do
	cmp -s local/$f $H/$f || fail "$f differs between WebHDFS and local"
done
[ "$(wc -l < local/day/wrk_date=$D/part-00000.csv)" -eq 6 ] || fail "6 cars expected"
echo "rollup_webhdfs: ok"
