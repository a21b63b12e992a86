# stream_faults.sh: tail2kafka while the broker is down. Reading stops when
# --max-inflight lines are unacknowledged; messages that time out are sent
# again from the last safe position; once the broker is back every line
# reaches the topic, and the position file ends at the end of the log.
# Injected retriable Produce errors are absorbed by the idempotent producer.
# A librdkafka queue smaller than one produce batch loses nothing.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"

start_devbroker SmartCar-Topic:3
LOG=$WORK/driver.log
driver_lines 0 300 >"$LOG"
"$BIN/tail2kafka" --file "$LOG" --brokers "$BROKERS" --topic SmartCar-Topic --position-file "$WORK/pos" \
	--max-inflight 500 -X message.timeout.ms=2000 -X reconnect.backoff.max.ms=200 \
	>"$WORK/t2k.out" 2>"$WORK/t2k.err" &
T2K=$!; on_exit "kill -9 $T2K"
topic_has() { [ "$(kcat -C -b "$BROKERS" -t SmartCar-Topic -e -q | sort -u | wc -l)" = "$1" ]; }
wait_for 15 topic_has 300 || fail "first lines not sent"

note "broker down: lines time out, reading stops at the window"
echo "broker-down all" >"$DEVBROKER_CTL"
wait_for 5 grep -q 'command="broker-down all"' "$WORK/devbroker.err" || fail "broker-down not applied"
driver_lines 300 3000 >>"$LOG"
wait_for 15 grep -q 'delivery failed' "$WORK/t2k.err" || fail "no delivery failure while the broker was down"
off=$(sed -n 's/.* offset=\([0-9]*\) .*/\1/p' "$WORK/pos")
[ "$off" -lt "$(stat -c %s "$LOG")" ] || fail "position moved past unacknowledged lines"

note "broker up: everything arrives"
echo "error Produce 3 NOT_LEADER_FOR_PARTITION" >"$DEVBROKER_CTL"
echo "broker-up all" >"$DEVBROKER_CTL"
valid=3300
wait_for 30 topic_has "$valid" || fail "after broker-up: $(kcat -C -b "$BROKERS" -t SmartCar-Topic -e -q | sort -u | wc -l) of $valid lines"
size=$(stat -c %s "$LOG")
pos_at_end() { grep -q " offset=$size " "$WORK/pos"; }
wait_for 5 pos_at_end || fail "position not at the end: $(cat "$WORK/pos")"
kill -TERM $T2K; wait $T2K; assert_eq 0 $? "tail2kafka exit code"
r=$(tail -n1 "$WORK/t2k.out")
echo "$r" | grep -q '"rewinds":0,' && fail "no rewind recorded: $r"
echo "$r" | grep -q '"delivery_failures":0,' && fail "no failure recorded: $r"
note "result: $r"

note "librdkafka queue smaller than a produce batch: refused lines are produced again"
driver_lines 0 5000 >"$WORK/small.log"
"$BIN/tail2kafka" --once --file "$WORK/small.log" --brokers "$BROKERS" --topic small-queue \
	--position-file "$WORK/small.pos" -X queue.buffering.max.messages=100 >"$WORK/small.out" 2>"$WORK/small.err" ||
	fail "tail2kafka --once with a small queue: $(tail -n3 "$WORK/small.err")"
grep -q '"sent":5000,"rejected":50,' "$WORK/small.out" || fail "small queue: $(cat "$WORK/small.out")"
assert_eq 5000 "$(kcat -C -b "$BROKERS" -t small-queue -e -q | sort -u | wc -l)" "distinct lines in small-queue"
echo PASS
