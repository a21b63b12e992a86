# stream_recovery.sh: kafka2hbase supervised by schedulerd recovers from a
# kill -9 and leaves its group cleanly at a stop. A stream DAG runs
# kafka2hbase on the development broker while a producer keeps sending
# records:
#   - the try gets a static group.instance.id derived from its task
#     (SCHED_DAG_ID.SCHED_TASK_ID.SCHED_RUN_ID, the daemon's variables);
#   - kill -9 of kafka2hbase: the daemon restarts it with the same id, new
#     rows reach the store and every record acknowledged before the kill is
#     stored (generous bounds: the figure of how fast is bench_stream_recovery);
#   - pausing the DAG (SIGTERM) makes kafka2hbase leave the group (LeaveGroup
#     sent, librdkafka cleared its member id) and exit 0.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
start_devbroker SmartCar-Topic:3
DB=$WORK/rows.db
mkdir -p dags
cat >dags/rec.yaml <<YAML
dag: rec
schedule: stream
tasks:
  - id: k2h
    retry_delay: 100ms
    command: ["$BIN/kafka2hbase", --brokers, "$BROKERS", --topic, SmartCar-Topic, --group, rec,
              --store, "sqlite:$DB", --table, DriverCarInfo, --batch, "500", --flush-ms, "50",
              --session-timeout-ms, "3000"]
YAML

# the producer: 50 distinct records every 0.1 s; $WORK/acked holds how many
# the broker acknowledged
( i=0; while :; do
	driver_lines $i 50 | grep -E '^[0-9]{14}' | kcat -P -b "$BROKERS" -t SmartCar-Topic || exit 1
	i=$((i + 50)); echo $i >"$WORK/acked.tmp"; mv "$WORK/acked.tmp" "$WORK/acked"
	sleep 0.1
  done ) 2>"$WORK/producer.err" &
PRODUCER=$!
on_exit "kill $PRODUCER"

start_daemon
# tries run under the daemon's launcher, which outlives a daemon killed at the
# end of a failed test: stop them too (added last, so run first, while the
# launcher is still the daemon's child)
on_exit 'for l in $(pgrep -P $DAEMON); do pkill -9 -P $l; done'
more_rows() { [ "$(count_rows "$DB" DriverCarInfo)" -gt "$1" ] 2>/dev/null; }
rows_at_least() { [ "$(count_rows "$DB" DriverCarInfo)" -ge "$1" ] 2>/dev/null; }
# the kafka2hbase process of the running try: the daemon's launcher's child
k2h_pid() {
	local l
	for l in $(pgrep -P "$DAEMON"); do
		pgrep -P "$l" -x kafka2hbase && return 0
	done
	return 1
}
try_logs() { find "$WORK/logs" -type f -name '*.log' -path '*k2h*' | sort; }

wait_for 60 more_rows 0 || fail "no row stored: $(tail -n 5 "$WORK/daemon.log"; try_logs | xargs tail -n 5)"
pid=$(k2h_pid) || fail "no kafka2hbase process under the daemon"
run=$(sq "select run_id from runs where dag_id='rec'")
want=$(printf 'rec.k2h.%s' "$run" | tr -c 'A-Za-z0-9._\n-' '_')
grep -q "group_instance_id=$want " $(try_logs) ||
	fail "no static membership from the task (want $want): $(grep -h consuming $(try_logs))"

note "kill -9 of kafka2hbase (pid $pid)"
kill -9 "$pid"
acked=$(cat "$WORK/acked")
rows=$(count_rows "$DB" DriverCarInfo)
restarted() { local p; p=$(k2h_pid) && [ "$p" != "$pid" ]; }
wait_for 60 restarted || fail "the daemon did not restart kafka2hbase: $(tail -n 5 "$WORK/daemon.log")"
wait_for 120 more_rows "$rows" || fail "no new row after the restart ($rows at the kill)"
wait_for 120 rows_at_least "$acked" ||
	fail "store holds $(count_rows "$DB" DriverCarInfo) rows, $acked records were acknowledged before the kill"
[ "$(grep -h "group_instance_id=$want " $(try_logs) | wc -l)" -ge 2 ] ||
	fail "the restarted try has another instance id: $(grep -h consuming $(try_logs))"

note "pause: SIGTERM, kafka2hbase leaves the group"
pid=$(k2h_pid) || fail "no kafka2hbase process under the daemon"
sq "update dags set paused=1 where dag_id='rec'"
wait_for 30 sh -c "! kill -0 $pid 2>/dev/null" || fail "kafka2hbase still running after pause"
log=$(grep -l "signal=15" $(try_logs) | tail -n 1)
[ -n "$log" ] || fail "no try stopped by SIGTERM: $(try_logs | xargs tail -n 3)"
grep -q "left the consumer group" "$log" || fail "no clean leave: $(tail -n 8 "$log")"
grep -q '"written":' "$log" || fail "no result line: $(tail -n 5 "$log")"
echo PASS
