#!/bin/bash
# bench_tail2kafka.sh: tail2kafka's rate from a 1-million-line driver log into
# the development broker, against `kcat -P` of the same file in the same run.
# tail2kafka runs with --once (read the file, wait until every line is
# acknowledged, save the position, exit), so both are timed the same way: one
# process from start to exit. kcat sends without keys, filter or position file:
# the bare producer cost. Three alternating rounds, the best of each is kept
# (the machine is shared). Prints figures and the ratio; never fails on speed.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$ROOT/${BUILD:-build}/bin}
WORK=$(mktemp -d /tmp/bench-t2k.XXXXXX)
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"
on_exit "rm -rf $WORK"
N=${N:-1000000}; ROUNDS=${ROUNDS:-3}
start_devbroker kcat-topic:3 kcatk-topic:3 t2k-topic:3
driver_lines 0 "$N" | grep -E '^[0-9]{14}' | head -n "$N" >"$WORK/driver.log"
awk -F, '{ print $2 "\t" $0 }' "$WORK/driver.log" >"$WORK/keyed.log"	# for kcat -K: same key as tail2kafka
ms() { local t0; t0=$(date +%s%N); "$@" || fail "$1 failed"; echo $(( ($(date +%s%N) - t0) / 1000000 )); }
run_t2k() {
	"$BIN/tail2kafka" --once --file "$WORK/driver.log" --brokers "$BROKERS" --topic t2k-topic \
		--position-file "$WORK/pos" 2>"$WORK/t2k.err" >"$WORK/t2k.out"
}
best_k=999999999; best_t=999999999; best_kk=999999999
for r in $(seq 1 "$ROUNDS"); do
	k=$(ms kcat -P -b "$BROKERS" -t kcat-topic <"$WORK/driver.log")
	kk=$(ms kcat -P -b "$BROKERS" -t kcatk-topic -X enable.idempotence=true -K "$(printf '\t')" <"$WORK/keyed.log")
	rm -f "$WORK/pos"
	t=$(ms run_t2k)
	grep -q '"sent":'"$N"',' "$WORK/t2k.out" || fail "tail2kafka did not send every line: $(cat "$WORK/t2k.out")"
	[ "$k" -lt "$best_k" ] && best_k=$k
	[ "$kk" -lt "$best_kk" ] && best_kk=$kk
	[ "$t" -lt "$best_t" ] && best_t=$t
done
[ "$best_k" -gt 0 ] || best_k=1; [ "$best_t" -gt 0 ] || best_t=1
printf 'tail2kafka: %d lines in %d ms = %d lines/s (keyed, idempotent, every line acknowledged, position saved)\n' "$N" "$best_t" $((N * 1000 / best_t))
printf 'kcat -P   : %d lines in %d ms = %d lines/s\n' "$N" "$best_k" $((N * 1000 / best_k))
printf 'kcat -P -K, idempotent (same keys, same guarantees as tail2kafka): %d lines in %d ms = %d lines/s\n' "$N" "$best_kk" $((N * 1000 / best_kk))
awk -v a="$best_k" -v b="$best_t" 'BEGIN { printf "ratio tail2kafka/kcat rate: %.2f (target >= 1.00; best of %d rounds each)\n", a / b, '"$ROUNDS"' }'
awk -v n="$N" -v k="$best_k" -v kk="$best_kk" -v t="$best_t" 'BEGIN {
	printf "BENCH|tail2kafka --once rate (%d lines)|%d lines/s|%d lines/s (kcat -P)|%.2f|>= 1.00\n", n, n * 1000 / t, n * 1000 / k, k / t
	printf "BENCH|tail2kafka vs kcat -P -K idempotent|%d lines/s|%d lines/s (kcat -K)|%.2f|-\n", n * 1000 / t, n * 1000 / kk, kk / t }'
