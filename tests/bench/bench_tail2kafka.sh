#!/bin/bash
# bench_tail2kafka.sh: tail2kafka's rate from a 1-million-line driver log into
# the development broker, against `kcat -P` of the same file in the same run
# (kcat sends without keys, filter or position file: the bare producer cost).
# Prints figures and the ratio; never fails on speed.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$ROOT/${BUILD:-build}/bin}
WORK=$(mktemp -d /tmp/bench-t2k.XXXXXX)
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"
on_exit "rm -rf $WORK"
N=${N:-1000000}
start_devbroker kcat-topic:3 t2k-topic:3
driver_lines 0 "$N" | grep -E '^[0-9]{14}' | head -n "$N" >"$WORK/driver.log"
size=$(stat -c %s "$WORK/driver.log")

t0=$(date +%s%N)
kcat -P -b "$BROKERS" -t kcat-topic <"$WORK/driver.log" || fail "kcat -P"
t1=$(date +%s%N)
kcat_ms=$(( (t1 - t0) / 1000000 ))

t0=$(date +%s%N)
"$BIN/tail2kafka" --file "$WORK/driver.log" --brokers "$BROKERS" --topic t2k-topic \
	--position-file "$WORK/pos" --position-interval-ms 10 >"$WORK/t2k.out" 2>"$WORK/t2k.err" &
pid=$!
done_() { grep -q " offset=$size " "$WORK/pos" 2>/dev/null; }
while ! done_; do sleep 0.01; done
t1=$(date +%s%N)
kill -TERM $pid; wait $pid
t2k_ms=$(( (t1 - t0) / 1000000 ))
[ "$t2k_ms" -gt 0 ] || t2k_ms=1
[ "$kcat_ms" -gt 0 ] || kcat_ms=1
printf 'tail2kafka: %d lines in %d ms = %d lines/s (every line acknowledged, position saved)\n' "$N" "$t2k_ms" $((N * 1000 / t2k_ms))
printf 'kcat -P   : %d lines in %d ms = %d lines/s\n' "$N" "$kcat_ms" $((N * 1000 / kcat_ms))
awk -v a="$kcat_ms" -v b="$t2k_ms" 'BEGIN { printf "ratio tail2kafka/kcat rate: %.2f (target >= 1.00)\n", a / b }'
