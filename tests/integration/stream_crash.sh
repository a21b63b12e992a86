# stream_crash.sh: nothing is lost when the pieces die. While driver lines are
# appended (and the log rotated once), tail2kafka is SIGKILLed and restarted
# three times and kafka2hbase twice, at random moments; in the end the row
# store holds exactly one row per valid line (repeats are allowed by the
# at-least-once design, and harmless: a replayed record rewrites the same row).
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"

start_devbroker SmartCar-Topic:3
LOG=$WORK/SmartCarDriverInfo.log
DB=$WORK/rows.db
start_t2k() {
	"$BIN/tail2kafka" --file "$LOG" --brokers "$BROKERS" --topic SmartCar-Topic \
		--position-file "$WORK/t2k.pos" --position-interval-ms 50 >>"$WORK/t2k.out" 2>>"$WORK/t2k.err" &
	T2K=$!
}
start_k2h() {
	"$BIN/kafka2hbase" --brokers "$BROKERS" --topic SmartCar-Topic --group crash --store "sqlite:$DB" \
		--table DriverCarInfo --batch 500 --flush-ms 50 --session-timeout-ms 6000 \
		>>"$WORK/k2h.out" 2>>"$WORK/k2h.err" &
	K2H=$!
}
start_t2k; start_k2h
on_exit 'kill -9 $T2K $K2H $WRITER'

# the writer: 40 chunks of 150 lines, 0.15 s apart; rotation after chunk 20
( for c in $(seq 0 39); do
	driver_lines $((c * 150)) 150 >>"$LOG"
	[ "$c" = 20 ] && mv "$LOG" "$LOG.1"
	sleep 0.15
  done ) &
WRITER=$!
valid=6000

pause() { sleep "0.$((RANDOM % 9 + 1))"; }
for round in 1 2 3; do
	pause; kill -9 $T2K; wait $T2K 2>/dev/null; note "tail2kafka killed (round $round)"; start_t2k
	if [ $round -le 2 ]; then
		pause; kill -9 $K2H; wait $K2H 2>/dev/null; note "kafka2hbase killed (round $round)"; start_k2h
	fi
done
wait $WRITER
wait_for 50 rows_are "$DB" DriverCarInfo "$valid" ||
	fail "rows: expected $valid, got $(count_rows "$DB" DriverCarInfo)"
note "all $valid rows present; stopping"
kill -TERM $T2K $K2H
wait $T2K; assert_eq 0 $? "tail2kafka exit code"
wait $K2H; assert_eq 0 $? "kafka2hbase exit code"
sent=$(kcat -C -b "$BROKERS" -t SmartCar-Topic -e -q | wc -l)
note "messages in the topic: $sent for $valid valid lines (the excess are repeats of lines in flight at a kill)"
[ "$sent" -ge "$valid" ] || fail "fewer messages than lines"
echo PASS
