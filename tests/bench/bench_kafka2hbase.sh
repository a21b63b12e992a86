#!/bin/bash
# bench_kafka2hbase.sh: kafka2hbase's rate from the development broker into a
# sqlite: row store and into the HBase REST test server (8 cells a record),
# against the time kcat needs just to read the same topic (the Kafka side
# alone), all in one run. The rate is timed from the first batch written (the
# mock's 3 s group join is excluded), and the store's own share (time inside
# rowstore_put) is shown. Prints figures and ratios; never fails on speed.
# The development broker (librdkafka's mock) keeps at most 5 MB per partition
# and drops the oldest messages beyond that, so the runs wait for what the
# topic holds (counted by the kcat read), not for N; 6 partitions keep
# N=300000 driver lines (about 13 MB) whole.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$ROOT/${BUILD:-build}/bin}
WORK=$(mktemp -d /tmp/bench-k2h.XXXXXX)
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"
on_exit "rm -rf $WORK"
N=${N:-300000}
start_devbroker SmartCar-Topic:6
driver_lines 0 "$N" | grep -E '^[0-9]{14}' | head -n "$N" | kcat -P -b "$BROKERS" -t SmartCar-Topic || fail "kcat -P"

t0=$(date +%s%N)
held=$(kcat -C -b "$BROKERS" -t SmartCar-Topic -e -q -o beginning | wc -l)
read_ms=$(( ($(date +%s%N) - t0) / 1000000 )); [ "$read_ms" -gt 0 ] || read_ms=1
[ "$held" -eq "$N" ] || echo "note: the topic holds $held of $N records (the broker dropped the oldest)"
N=$held
printf 'kcat -C (read only)        : %d records in %d ms = %d records/s\n' "$N" "$read_ms" $((N * 1000 / read_ms))

written() { grep "batch written" "$1" 2>/dev/null | sed -n 's/.* records=\([0-9]*\) .*/\1/p' | awk '{ s += $1 } END { print s + 0 }'; }
# run_store LABEL URI GROUP TARGET
run_store() {
	local log=$WORK/k2h.$3.err
	JOB_LOG_LEVEL=debug "$BIN/kafka2hbase" --brokers "$BROKERS" --topic SmartCar-Topic --group "$3" --store "$2" \
		--table DriverCarInfo --batch 10000 --flush-ms 200 --session-timeout-ms 6000 >"$WORK/k2h.$3.out" 2>"$log" &
	local pid=$!
	local limit=$(( $(date +%s) + 600 ))
	while ! grep -q "batch written" "$log"; do
		kill -0 $pid 2>/dev/null || fail "kafka2hbase exited: $(tail -n3 "$log")"
		sleep 0.02
	done
	local t_first=$(date +%s%N) first
	first=$(written "$log")
	while [ "$(written "$log")" -lt "$N" ]; do
		[ "$(date +%s)" -lt "$limit" ] || fail "kafka2hbase wrote only $(written "$log") of $N records in 600 s"
		sleep 0.05
	done
	local cpu_ticks; cpu_ticks=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
	local ms=$(( ($(date +%s%N) - t_first) / 1000000 )); [ $ms -gt 0 ] || ms=1
	kill -TERM $pid; wait $pid
	local n=$((N - first))
	printf '   kafka2hbase CPU time (user+sys, whole run, %d records): %d ms = %d records per CPU-second\n' "$N" \
		$((cpu_ticks * 1000 / $(getconf CLK_TCK))) $((N * $(getconf CLK_TCK) / (cpu_ticks > 0 ? cpu_ticks : 1)))
	printf 'kafka2hbase -> %-10s: %d records (%d cells) in %d ms = %d records/s (ratio to read-only %.2f)\n' \
		"$1" "$n" $((n * 8)) "$ms" $((n * 1000 / ms)) "$(awk -v a=$((N * 1000 / read_ms)) -v b=$((n * 1000 / ms)) 'BEGIN { print b / a }')"
	printf "BENCH|kafka2hbase -> %s (%d records)|%d records/s|%d records/s (kcat -C read only)|%s|%s\n" \
		"$1" "$n" $((n * 1000 / ms)) $((N * 1000 / read_ms)) "$(awk -v a=$((N * 1000 / read_ms)) -v b=$((n * 1000 / ms)) 'BEGIN { printf "%.2f", b / a }')" "$4"
	grep "batch written" "$log" | awk '{ for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == "put_ms") p += a[2]; if (a[1] == "records") r += a[2] } }
		END { if (p) printf "   of which rowstore_put: %d records in %d ms = %d records/s (the store alone)\n", r, p, r * 1000 / p }'
}
run_store sqlite "sqlite:$WORK/rows.db" bench-sqlite ">= 100000 rec/s"
"$ROOT/${BUILD:-build}/tests/hbase-rest-testserver" --port-file "$WORK/hbase.port" 2>"$WORK/hbase.err" &
srv=$!
on_exit "kill $srv"
wait_for 5 test -s "$WORK/hbase.port" || fail "hbase test server did not start"
run_store hbase-rest "hbase://127.0.0.1:$(cat "$WORK/hbase.port")" bench-hbase ">= 50000 rows/s"
printf '   hbase-rest-testserver CPU time (user+sys): %d ms\n' \
	$(( $(awk '{ print $14 + $15 }' /proc/$srv/stat) * 1000 / $(getconf CLK_TCK) ))
echo "targets: >= 100000 records/s into sqlite:, >= 50000 rows/s into HBase REST"
