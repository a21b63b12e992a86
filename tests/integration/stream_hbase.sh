# stream_hbase.sh: kafka2hbase into the HBase REST test server while that
# server fails its first requests (503): the store is retried with backoff,
# fetching is paused meanwhile, nothing is committed past what is written, and
# in the end every record is a row with its eight cells. A second instance in
# the same group shares the partitions.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"

start_devbroker SmartCar-Topic:4
"$ROOT/${BUILD:-build}/tests/hbase-rest-testserver" --port-file "$WORK/hbase.port" --fail-first 5 --fail-every 4 \
	2>"$WORK/hbase.err" &
on_exit "kill $!"
wait_for 5 test -s "$WORK/hbase.port" || fail "hbase test server did not start"
STORE=hbase://127.0.0.1:$(cat "$WORK/hbase.port")
driver_lines 0 2000 | grep -E '^[0-9]{14}' | kcat -P -b "$BROKERS" -t SmartCar-Topic || fail "kcat -P"

start_k2h() {
	"$BIN/kafka2hbase" --brokers "$BROKERS" --topic SmartCar-Topic --group hb --store "$STORE" \
		--table DriverCarInfo --batch 300 --flush-ms 50 --session-timeout-ms 6000 --max-backoff-ms 300 --store-retries 0 \
		>"$WORK/k2h.$1.out" 2>"$WORK/k2h.$1.err" &
}
start_k2h 1; K1=$!; on_exit "kill -9 $K1"
start_k2h 2; K2=$!; on_exit "kill -9 $K2"
hrows() { [ "$("$BIN/rowctl" --store "$STORE" count DriverCarInfo 2>/dev/null | awk 'NR == 1 { print $1 }')" = "$1" ]; }
wait_for 50 hrows 2000 || fail "rows: $("$BIN/rowctl" --store "$STORE" count DriverCarInfo 2>&1)"
"$BIN/rowctl" --store "$STORE" get DriverCarInfo 00000010106102-A0000 >"$WORK/row" || fail "get"
grep -q 'speed' "$WORK/row" || fail "row: $(cat "$WORK/row")"
# The first instance may write every row before the group's rebalance hands
# the second its share: wait for the assignment (a session timeout at most).
wait_for 20 grep -q "partitions assigned" "$WORK/k2h.2.err" || fail "second instance got no partitions"
kill -TERM $K1 $K2; wait $K1; assert_eq 0 $? "exit code 1"; wait $K2; assert_eq 0 $? "exit code 2"
cat "$WORK/k2h.1.out" "$WORK/k2h.2.out"
w=$(cat "$WORK"/k2h.*.out | sed -n 's/.*"written":\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s }')
[ "$w" -ge 2000 ] || fail "written by both: $w"
grep -q "partitions assigned" "$WORK/k2h.2.err" || fail "second instance got no partitions"
f=$(cat "$WORK"/k2h.*.out | sed -n 's/.*"store_failures":\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s }')
[ "$f" -gt 0 ] || fail "the store never failed a write: the retry path was not exercised"
grep -q "fetching paused" "$WORK"/k2h.*.err || fail "fetching was never paused"
echo PASS
