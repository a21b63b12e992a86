#!/bin/bash
# bench_kafka2hbase.sh: kafka2hbase's rate from the development broker into a
# sqlite: row store (8 cells a record), against the time the same consumer
# group needs just to read the topic (kcat -G ... -e, the Kafka side alone).
# Prints figures and the ratio; never fails on speed.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$ROOT/${BUILD:-build}/bin}
WORK=$(mktemp -d /tmp/bench-k2h.XXXXXX)
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"
on_exit "rm -rf $WORK"
N=${N:-300000}
start_devbroker SmartCar-Topic:3
driver_lines 0 "$N" | grep -E '^[0-9]{14}' | head -n "$N" | kcat -P -b "$BROKERS" -t SmartCar-Topic || fail "kcat -P"

t0=$(date +%s%N)
kcat -C -b "$BROKERS" -t SmartCar-Topic -e -q -o beginning | wc -l >/dev/null
t1=$(date +%s%N)
read_ms=$(( (t1 - t0) / 1000000 ))

DB=$WORK/rows.db
t0=$(date +%s%N)
JOB_LOG_LEVEL=debug "$BIN/kafka2hbase" --brokers "$BROKERS" --topic SmartCar-Topic --group bench --store "sqlite:$DB" \
	--table DriverCarInfo --batch 10000 --flush-ms 200 --session-timeout-ms 6000 \
	>"$WORK/k2h.out" 2>"$WORK/k2h.err" &
pid=$!
# the consumer group's first join costs the mock 3 s; measure from the first row
while [ "$(sqlite3 "$DB" 'select count(*) from rs_DriverCarInfo' 2>/dev/null || echo 0)" = 0 ]; do sleep 0.02; done
t_first=$(date +%s%N)
while [ "$(sqlite3 "$DB" 'select count(*) from rs_DriverCarInfo' 2>/dev/null || echo 0)" -lt $((N * 8)) ]; do sleep 0.1; done
t1=$(date +%s%N)
kill -TERM $pid; wait $pid
ms=$(( (t1 - t_first) / 1000000 )); [ $ms -gt 0 ] || ms=1
[ "$read_ms" -gt 0 ] || read_ms=1
printf 'kafka2hbase -> sqlite: %d records (%d cells) in %d ms = %d records/s (from first row; group join %d ms before)\n' \
	"$N" $((N * 8)) "$ms" $((N * 1000 / ms)) $(( (t_first - t0) / 1000000 ))
printf 'kcat -C (read only)  : %d records in %d ms = %d records/s\n' "$N" "$read_ms" $((N * 1000 / read_ms))
awk -v a="$read_ms" -v b="$ms" 'BEGIN { printf "ratio kafka2hbase/read-only rate: %.2f (target: >= 100000 records/s)\n", a / b }'
grep "batch written" "$WORK/k2h.err" | awk '{ for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == "put_ms") p += a[2]; if (a[1] == "records") r += a[2] } }
	END { if (p) printf "of which rowstore_put: %d records in %d ms = %d records/s (the store alone)\n", r, p, r * 1000 / p }'
