#!/bin/bash
# bench_overspeed.sh: figures for the overspeed detector and redis-audit, each
# with a baseline run in the same invocation. Never fails on speed.
#  1. windowing throughput: overspeed --from-file (10,000 cars) into a local
#     redis-server, events/s per core (CPU time), vs an awk script computing
#     the same 30 s per-car averages;
#  2. end to end through kafka-devbroker at 10,000 cars x 1 record/s (each
#     round of all cars advances event time 10 s, so a window closes every
#     3 s): close -> SADD and produce -> SADD latency, p50 and p99;
#  3. redis-audit over 1,000,000 keys vs `redis-cli --scan` + one `redis-cli
#     TTL` per key (run on a sample of keys and scaled: one process per key).
# Sizes: OVS_BENCH_CARS (10000), OVS_BENCH_SECONDS (sim seconds, 400),
# OVS_BENCH_KEYS (1000000), OVS_BENCH_LOOP_KEYS (2000), OVS_BENCH_E2E (20 s).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
BIN=${BIN:-$ROOT/$BUILD/bin}
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/overspeed_gen.sh"
CARS=${OVS_BENCH_CARS:-10000}
SIMSECS=${OVS_BENCH_SECONDS:-400}
KEYS=${OVS_BENCH_KEYS:-1000000}
LOOPKEYS=${OVS_BENCH_LOOP_KEYS:-2000}
E2E=${OVS_BENCH_E2E:-20}
W=$(mktemp -d /tmp/bench-overspeed.XXXXXX)
on_exit "rm -rf $W"

port=$(free_port) || { echo "bench_overspeed: no free port"; exit 0; }
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null 2>&1 &
rpid=$!
on_exit "kill $rpid"
R="redis-cli -p $port"
wait_for 5 $R ping || { echo "bench_overspeed: redis-server did not start"; exit 0; }
U="redis://127.0.0.1:$port"

cpu_of() { # CMD... -> prints "wall user+sys" seconds of the command
	local TIMEFORMAT='%R %U %S' t
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
	echo "$t" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}

echo "== overspeed windowing: $CARS cars x $((SIMSECS / 2)) records each, --from-file into redis"
awk -v n="$CARS" -v secs="$SIMSECS" 'BEGIN { for (s = 0; s < secs; s += 2) {
	ts = sprintf("20160107%02d%02d%02d", int(s / 3600), int(s / 60) % 60, s % 60); w = int(s / 30) % 2
	for (i = 1; i <= n; i++) printf "%s,%c%04d,1,0,F,N,%d,A%02d\n", ts, 65 + int(i / 10000), i % 10000, w ? 120 - i % 80 : 40 + i % 80, i % 10 + 1 } }' >"$W/in.txt"
n=$(wc -l <"$W/in.txt")
cat "$W/in.txt" >/dev/null	# warm the page cache
read -r wall cpu < <(cpu_of "$BIN/overspeed" --from-file "$W/in.txt" --redis "$U/0")
"$BIN/overspeed" --from-file "$W/in.txt" --redis "$U/1" 2>/dev/null | tail -n1 >"$W/res1"
read -r bwall bcpu < <(cpu_of awk -F, '{ t = substr($1, 9, 6); s = substr(t,1,2)*3600 + substr(t,3,2)*60 + substr(t,5,2);
	k = $2 "-" int(s / 30); sum[k] += $7; cnt[k]++ } END { for (k in sum) if (sum[k] / cnt[k] > 80) d++; print d }' "$W/in.txt")
awk -v n="$n" -v cars="$CARS" -v w="$wall" -v c="$cpu" -v bw="$bwall" -v bc="$bcpu" 'BEGIN {
	printf "overspeed: %d events in %.2f s wall, %.2f s CPU: %.0f events/s per core (target 2,000,000)\n", n, w, c, n / c
	printf "baseline awk (same averages, no Redis): %.2f s CPU: %.0f events/s per core\n", bc, n / bc
	printf "ratio overspeed/awk: %.1fx\n", bc / c
	printf "BENCH|overspeed windowing, %d cars (per core)|%.0f events/s|%.0f events/s (awk)|%.1f|>= 2000000 events/s\n", cars, n / c, n / bc, bc / c }'
echo "result: $(cat "$W/res1")"

echo "== end to end through kafka-devbroker: $CARS cars x 1 record/s for ${E2E}s"
"$BIN/kafka-devbroker" --topic SmartCar-Topic:4 --bootstrap-file "$W/bs" >/dev/null 2>&1 &
bpid=$!
on_exit "kill $bpid"
if wait_for 10 test -s "$W/bs"; then
	B=$(cat "$W/bs")
	"$BIN/overspeed" --brokers "$B" --group bench --kafka-opt session.timeout.ms=6000 --redis "$U/2" \
		>"$W/e2e.out" 2>"$W/e2e.err" &
	opid=$!
	wait_for 15 grep -q 'partition assigned' "$W/e2e.err"
	for r in $(seq 0 $((E2E - 1))); do
		t0=$(date +%s%N)
		awk -v r="$r" -v n="$CARS" 'BEGIN { s = 36000 + r * 10
			ts = sprintf("20160108%02d%02d%02d", int(s / 3600), int(s / 60) % 60, s % 60)
			for (i = 1; i <= n; i++) printf "%s,%c%04d,1,0,F,N,%d,A01\n", ts, 65 + int(i / 10000), i % 10000, (i % 3 ? 60 : 120) }'
		dt=$(( ($(date +%s%N) - t0) / 1000000 ))
		[ $dt -lt 1000 ] && sleep "0.$(printf %03d $((1000 - dt)))"
	done | kcat -P -b "$B" -t SmartCar-Topic -X linger.ms=5
	sleep 2
	kill -TERM $opid
	wait $opid
	res=$(tail -n1 "$W/e2e.out")
	echo "result: $res"
	echo "$res" | awk '{ n = split($0, a, /[,{}]/); for (i = 1; i <= n; i++) if (a[i] ~ /_p[59][09]_ms/) { gsub(/"/, "", a[i]); print "  " a[i] } }'
	echo "$res" | awk -v cars="$CARS" '{ n = split($0, a, /[,{}]/); for (i = 1; i <= n; i++) if (a[i] ~ /_p99_ms/) {
		gsub(/"/, "", a[i]); split(a[i], kv, ":"); sub(/_p99_ms/, "", kv[1])
		printf "BENCH|overspeed e2e %s p99 (%d cars/s)|%.1f ms|-|-|< 100 ms\n", kv[1], cars, kv[2] } }'
	echo "(close_to_sadd: from the window closing in the detector to Redis acknowledging its writes;"
	echo " produce_to_sadd: from the producer timestamp of the record that closed the window; target p99 < 100 ms)"
else
	echo "kafka-devbroker did not start; end-to-end figures skipped"
fi

echo "== redis-audit over $KEYS keys"
$R -n 3 flushdb >/dev/null
awk -v n="$KEYS" 'BEGIN { for (i = 0; i < n; i++) { d = sprintf("%08d", 20000000 + i); printf "*3\r\n$4\r\nSADD\r\n$8\r\n%s\r\n$1\r\nx\r\n", d } }' |
	$R -n 3 --pipe >/dev/null
awk -v n="$KEYS" 'BEGIN { for (i = 0; i < n; i += 3) printf "*3\r\n$6\r\nEXPIRE\r\n$8\r\n%08d\r\n$6\r\n604800\r\n", 20000000 + i }' |
	$R -n 3 --pipe >/dev/null
total=$($R -n 3 dbsize)
read -r awall acpu < <(cpu_of "$BIN/redis-audit" --redis "$U/3" --today 20160110 --match '*')
"$BIN/redis-audit" --redis "$U/3" --today 20160110 --match '*' 2>/dev/null | tail -n1 >"$W/res3"
t0=$(date +%s%N)
$R -n 3 --scan | head -n "$LOOPKEYS" | while read -r k; do $R -n 3 ttl "$k" >/dev/null; done
lwall=$(awk -v ns=$(( $(date +%s%N) - t0 )) 'BEGIN { printf "%.3f", ns / 1e9 }')
awk -v n="$total" -v a="$awall" -v l="$lwall" -v lk="$LOOPKEYS" 'BEGIN {
	est = l * n / lk
	printf "redis-audit: %d keys in %.2f s (%.0f keys/s)\n", n, a, n / a
	printf "baseline redis-cli --scan + TTL per key: %d keys in %.2f s, scaled to %d keys: %.0f s\n", lk, l, n, est
	printf "ratio baseline/redis-audit: %.0fx\n", est / a
	printf "BENCH|redis-audit over %d keys|%.0f keys/s|%.0f keys/s (redis-cli TTL per key)|%.0f|-\n", n, n / a, n / est, est / a }'
echo "result: $(cat "$W/res3")"
exit 0
