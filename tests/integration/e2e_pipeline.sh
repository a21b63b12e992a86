#!/bin/bash
# e2e_pipeline.sh: the demo's path, short (one day, ten cars, ~15 s of
# realtime), through schedulerd and the shipped DAGs (dags/, etc/pipeline.env),
# checking that the counts agree across the stages:
#   lines generated (records + garbage + one header per car) = lines read by
#   the loader = loaded + rejected; loaded = lines in the partition; rollup
#   status-day records = loaded lines; rows in the row store = driver lines
#   sent by tail2kafka = valid lines of the driver log = drive-day records;
#   overspeed found cars in Redis; the day's drive rollup triggers
#   smartcar_drive_rollups (datasets) for the day's week. Polls with
#   timeouts, no fixed waits.
. "$ROOT/tests/tools/testlib.sh"
export PATH=$BIN:$PATH
mkdir -p log state etc dags
cp "$ROOT"/dags/*.yaml dags/
cp "$ROOT/dags/rules/overspeed.yaml" etc/

port=$(free_port) || fail "no free port"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >redis.log 2>&1 &
rpid=$!; on_exit "kill $rpid"
wait_for 10 redis-cli -p "$port" ping || fail "redis-server did not start"
kafka-devbroker --topic SmartCar-Topic:3 --bootstrap-file "$WORK/state/bootstrap" >devbroker.log 2>&1 &
kpid=$!; on_exit "kill $kpid"
wait_for 10 test -s state/bootstrap || fail "kafka-devbroker did not start"

export PIPELINE_HOME=$WORK KAFKA_BROKERS=$(cat state/bootstrap) REDIS_URL=redis://127.0.0.1:$port/0
export OVERSPEED_RULE=$WORK/etc/overspeed.yaml SMARTCAR_CARS=10 SMARTCAR_SPEEDUP=20
set -a; . "$ROOT/etc/pipeline.env"; set +a
[ "$ROWSTORE" = "sqlite:$WORK/rowstore.db" ] || fail "pipeline.env default ROWSTORE: $ROWSTORE"
S="schedctl --state $WORK/state.db"

schedctl validate dags >/dev/null || fail "shipped DAGs do not validate"
schedulerd --dags dags --state state.db --logs logs --kill-grace 2s --drain-timeout 10s 2>schedulerd.log &
spid=$!; on_exit "kill -9 $spid"
rows() { rowctl --store "$ROWSTORE" count DriverCarInfo 2>/dev/null | awk 'NR == 1 { print $1 }'; }
rows_at_least() { [ "$(rows)" -ge "$1" ] 2>/dev/null; }

note "realtime: until 1500 rows are stored (~15 s), then pause"
wait_for 120 rows_at_least 1500 || fail "rows stored: $(rows); $(tail -n 20 schedulerd.log)"
$S pause smartcar_realtime >/dev/null || fail "pause"
t2k_done() { $S logs smartcar_realtime tail2kafka 2>/dev/null | grep -q '"sent":'; }
wait_for 60 t2k_done || fail "tail2kafka did not report: $($S logs smartcar_realtime tail2kafka | tail -n 5)"
sent=$($S logs smartcar_realtime tail2kafka | grep '"sent":' | tail -n 1 | sed 's/.*"sent":\([0-9]*\).*/\1/')
all_stopped() { ! $S status smartcar_realtime | grep -qE "^(driver_log|tail2kafka|kafka2hbase|overspeed) +(running|queued)"; }
wait_for 60 all_stopped || fail "stream tasks still running: $($S status smartcar_realtime)"
# the log may have grown after tail2kafka stopped: compare up to its saved position
off=$(sed -n 's/.* offset=\([0-9]*\) .*/\1/p' state/tail2kafka.pos)
[ -n "$off" ] || fail "position file: $(cat state/tail2kafka.pos)"
valid=$(head -c "$off" log/SmartCarDriverInfo.log | grep -cE '^[0-9]{14}')
assert_eq "$valid" "$sent" "driver lines sent by tail2kafka = valid lines of the log up to its position"
# what kafka2hbase had not consumed when paused: the same group picks it up
kafka2hbase --brokers "$KAFKA_BROKERS" --topic SmartCar-Topic --group DriverCarInfo-writer --store "$ROWSTORE" \
	--table DriverCarInfo --session-timeout-ms 6000 >k2h.out 2>k2h.err &
k2h=$!; on_exit "kill -9 $k2h"
rows_are_sent() { [ "$(rows)" = "$sent" ]; }
wait_for 60 rows_are_sent || fail "rows in the store: $(rows), sent by tail2kafka: $sent"
kill -TERM $k2h; wait $k2h
assert_eq "$sent" "$(rows)" "rows in the store after the drain"
day=$(TZ=Asia/Seoul date +%Y%m%d)
[ "$(redis-cli -p "$port" scard "$day")" -gt 0 ] || fail "no overspeed window in Redis for $day"

note "batch: the day $day through smartcar_batch"
ds="${day:0:4}-${day:4:2}-${day:6:2}"
$S backfill smartcar_batch --from "$ds" --to "$ds" --wait >backfill.out 2>&1 ||
	fail "backfill: $(cat backfill.out); $($S status smartcar_batch --date "$ds")"
result() { $S logs smartcar_batch "$1" --date "$ds" | grep '^{' | tail -n 1; }
field() { echo "$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }
gen=$(result generate_status); load=$(result load_status); day_r=$(result rollup_status_day); drv=$(result rollup_drive_day)
generated=$(( $(field "$gen" records_written) + $(field "$gen" garbage_written) + 10 ))
assert_eq "$generated" "$(field "$load" records_read)" "lines generated (records + garbage + headers) = lines read"
loaded=$(field "$load" records_written); rejected=$(field "$load" records_rejected)
assert_eq "$generated" "$((loaded + rejected))" "lines generated = loaded + rejected"
assert_eq "$loaded" "$(cat "$HDFS_URI/collect/car-batch-log/wrk_date=$day"/car-batch-log.*.log | wc -l)" "lines in the partition"
assert_eq "$rejected" "$(cat "$HDFS_URI/collect/car-batch-log/_rejects/wrk_date=$day"/* | wc -l)" "rejected lines stored"
assert_eq "$loaded" "$(field "$day_r" records)" "status-day records = loaded lines"
assert_eq "$sent" "$(field "$drv" rows_read)" "drive-day rows read = rows sent"
assert_eq 10 "$(wc -l <"$HDFS_URI/rollup/day/wrk_date=$day/part-00000.csv")" "cars in the day rollup"
for t in rollup_status_week rollup_status_month; do
	$S status smartcar_batch --date "$ds" | grep -E "^$t +success" >/dev/null || fail "$t not successful"
done
note "data-aware: the day's drive rollup triggered smartcar_drive_rollups for its week and month"
# (the scheduled run of yesterday, which the daemon creates at start, may
# trigger one too: the run of the day is the one named by its logical date)
drive_done() { sqlite3 -cmd ".timeout 5000" state.db "select state from runs where dag_id='smartcar_drive_rollups'
	and run_id='dataset_triggered__${ds}T00:00:00+09:00'" | grep -qx success; }
wait_for 60 drive_done || fail "smartcar_drive_rollups: $($S runs smartcar_drive_rollups 2>&1)"
week=$(TZ=Asia/Seoul date -d "$ds" +%G-W%V)
ls "$HDFS_URI/rollup/drive/week/"*"$week"* >/dev/null 2>&1 || fail "no drive week $week: $(find "$HDFS_URI/rollup/drive" | head)"
note "loaded $loaded, rejected $rejected, rows $sent"
echo PASS
