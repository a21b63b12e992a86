#!/bin/bash
# demo.sh: the smart car pipeline end to end on this machine (`make demo`).
# In ./demo-workspace: redis-server and kafka-devbroker on free loopback ports,
# schedulerd on the shipped DAGs (dags/) with etc/pipeline.env pointed at the
# workspace; the realtime DAG runs for a while and is paused, three days of the
# batch DAG are backfilled, the middle day is reprocessed with
# `schedctl clear --downstream` and compared byte for byte, the auditor runs,
# and a summary is printed. Everything started is stopped at exit (trap); the
# workspace stays for inspection (`make demo-clean` removes it).
# Environment: BUILD (default build), DEMO_CARS (15), DEMO_REALTIME_SECONDS (45),
# DEMO_WS (./demo-workspace).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
WS=${DEMO_WS:-$ROOT/demo-workspace}
CARS=${DEMO_CARS:-15}
RT_SECONDS=${DEMO_REALTIME_SECONDS:-45}
export PATH=$BIN:$PATH
WORK=$WS
. "$ROOT/tests/tools/testlib.sh"
step() { printf '\n=== %s\n' "$*"; }
for p in schedulerd schedctl loggen spool-loader rollup kafka-devbroker tail2kafka kafka2hbase rowctl overspeed redis-audit; do
	[ -x "$BIN/$p" ] || fail "$BIN/$p missing: run make first"
done
for p in redis-server redis-cli sqlite3; do command -v $p >/dev/null || fail "$p not installed (make deps)"; done

t0=$(date +%s)
rm -rf "$WS"; mkdir -p "$WS"/{log,state,etc,dags} || fail "cannot create $WS"
cd "$WS" || exit 1
cp "$ROOT"/dags/*.yaml dags/
cp "$ROOT/dags/rules/overspeed.yaml" etc/

step "redis-server and kafka-devbroker on loopback"
RPORT=$(free_port) || fail "no free port"
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >redis.log 2>&1 &
RPID=$!; on_exit "kill $RPID; wait $RPID"
wait_for 10 redis-cli -p "$RPORT" ping || fail "redis-server did not start: $(cat redis.log)"
kafka-devbroker --topic SmartCar-Topic:3 --bootstrap-file "$WS/state/bootstrap" >devbroker.log 2>&1 &
KPID=$!; on_exit "kill $KPID; wait $KPID"
wait_for 10 test -s state/bootstrap || fail "kafka-devbroker did not start: $(cat devbroker.log)"
echo "redis 127.0.0.1:$RPORT, kafka $(cat state/bootstrap)"

export PIPELINE_HOME=$WS KAFKA_BROKERS=$(cat state/bootstrap) REDIS_URL=redis://127.0.0.1:$RPORT/0
export OVERSPEED_RULE=$WS/etc/overspeed.yaml SMARTCAR_CARS=$CARS SMARTCAR_SPEEDUP=${DEMO_SPEEDUP:-20}
# the development broker accepts a session timeout under a real broker's 6000 ms
# minimum: a consumer restarted after kill -9 writes again within ~5 s
export KAFKA_SESSION_TIMEOUT_MS=${KAFKA_SESSION_TIMEOUT_MS:-3000}
set -a; . "$ROOT/etc/pipeline.env"; set +a
env | grep -E '^(PIPELINE_HOME|HDFS_URI|KAFKA_BROKERS|KAFKA_SESSION_TIMEOUT_MS|ROWSTORE|REDIS_URL|OVERSPEED_RULE|SMARTCAR_[A-Z]+)=' | sort >pipeline.env.used

step "schedulerd on the DAGs (state $WS/state.db, logs $WS/logs)"
schedctl validate dags || fail "DAGs do not validate"
schedulerd --dags dags --state state.db --logs logs --kill-grace 2s --drain-timeout 10s 2>schedulerd.log &
SPID=$!; on_exit "kill -TERM $SPID; wait $SPID"
export SCHED_STATE=$WS/state.db
S="schedctl --state $WS/state.db"
wait_for 10 sh -c "$S dags | grep -q smartcar_realtime" || fail "schedulerd did not load the DAGs: $(tail schedulerd.log)"
$S dags

step "realtime: $RT_SECONDS s of driver records -> Kafka -> row store and overspeed"
count_rows() { rowctl --store "$ROWSTORE" count DriverCarInfo 2>/dev/null | awk 'NR == 1 { print $1 }'; }
has_rows() { [ "$(count_rows)" -gt 0 ] 2>/dev/null; }
wait_for 60 has_rows || fail "no row reached the row store: $(tail -n 20 schedulerd.log)"
end=$(( $(date +%s) + RT_SECONDS ))
while [ "$(date +%s)" -lt "$end" ]; do
	sleep 5; echo "  rows in the store: $(count_rows)"
done
$S pause smartcar_realtime
wait_for 60 sh -c "! $S status smartcar_realtime | grep -qE \"^(driver_log|tail2kafka|kafka2hbase|overspeed) +(running|queued)\"" || echo "  (stream tasks still stopping)"
$S status smartcar_realtime
TODAY=$(TZ=Asia/Seoul date +%Y-%m-%d)
D1=$(TZ=Asia/Seoul date -d "$TODAY -2 day" +%Y-%m-%d); D2=$(TZ=Asia/Seoul date -d "$TODAY -1 day" +%Y-%m-%d)

step "backfill smartcar_batch $D1 .. $TODAY"
$S backfill smartcar_batch --from "$D1" --to "$TODAY" --wait || fail "backfill failed: $($S grid smartcar_batch)"

RAW=$HDFS_URI/collect/car-batch-log; ROLL=$HDFS_URI/rollup
n2=${D2//-/}; wk=$(date -d "$D2" +%G-W%V); ym=${n2:0:6}
sums() { (cd "$HDFS_URI" && find "collect/car-batch-log/wrk_date=$n2" "rollup/day/wrk_date=$n2" "rollup/week/wrk_week=$wk" \
	"rollup/month/wrk_month=$ym" -type f ! -name '_MANIFEST*' 2>/dev/null | sort | xargs sha256sum); }

step "reprocess $D2: schedctl clear --downstream, then compare checksums"
sums >sums.before
$S clear smartcar_batch --date "$D2" --task generate_status --downstream --yes || fail "clear"
cleared_done() { $S runs smartcar_batch --last 0 | grep "$D2" | grep -qE 'success|failed'; }
wait_for 120 cleared_done || fail "reprocessing of $D2 did not finish"
sums >sums.after
$S status smartcar_batch --date "$D2" | grep -E '^(TASK|generate_status|load_status|rollup_status)' | cut -c1-70
if cmp -s sums.before sums.after; then
	echo "  $(wc -l <sums.after) files of $D2 (partition, day, week, month) byte-identical after reprocessing"
else
	diff sums.before sums.after; fail "reprocessed $D2 differs"
fi

step "redis-audit --fix"
redis-audit --redis "$REDIS_URL" --fix || fail "redis-audit"
redis-audit --redis "$REDIS_URL" --match 'overspeed:*' --fix >/dev/null || fail "redis-audit details"

step "summary"
$S grid smartcar_batch
$S grid smartcar_realtime
echo; echo "rows loaded per partition (kept lines; rejected lines in _rejects):"
for d in "$RAW"/wrk_date=*; do
	p=${d##*/}; kept=$(cat "$d"/car-batch-log.*.log | wc -l)
	rej=$(cat "$RAW/_rejects/$p"/* 2>/dev/null | wc -l)
	printf '  %s  %8d loaded  %5d rejected\n' "$p" "$kept" "$rej"
done
echo "rollup lines:"
for f in "$ROLL"/*/*/part-* "$ROLL"/drive/*/*/*.csv; do [ -f "$f" ] && printf '  %-60s %6d\n' "${f#$ROLL/}" "$(wc -l <"$f")"; done
echo "rows in the row store ($ROWSTORE, DriverCarInfo): $(count_rows)"
day=$(TZ=Asia/Seoul date +%Y%m%d)
echo "overspeed cars on $day (redis SMEMBERS $day): $(redis-cli -p "$RPORT" scard "$day") windows"
redis-cli -p "$RPORT" smembers "$day" | sed 's/-[0-9]*$//' | sort | uniq -c | awk '{ printf "  %s (%d windows)\n", $2, $1 }'
# The web UI over this demo's state: a demo user, and where to open it.
(umask 077; head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WS/demo-user.password")
if schedweb --state "$WS/state.db" users add demo --role operator --password-stdin <"$WS/demo-user.password" >/dev/null; then
	echo; echo "web UI of this demo: schedweb --state $WS/state.db --listen 127.0.0.1:8080, then"
	echo "  http://127.0.0.1:8080/  user demo, password $(cat "$WS/demo-user.password")"
	echo "  (make run starts the whole stack with schedweb and leaves it running: it prints its own address and user)"
fi
echo; echo "demo finished in $(( $(date +%s) - t0 )) s; workspace $WS (make demo-clean removes it)"
